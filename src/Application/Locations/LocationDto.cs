using System.Linq.Expressions;
using FluentValidation;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Locations;

public sealed record LocationDto(Guid Id, string Name, AddressDto Address, string MpnId, DateTime CreatedAt)
{
    public static LocationDto From(Location l) => new(l.Id, l.Name, AddressDto.From(l.Address), l.MpnId, l.CreatedAt);
}

/// <summary>What create and replace share: the rules for a location's fields and the audit resource name.</summary>
internal static class LocationRules
{
    public const string AuditResource = "locations";

    public static void ValidateLocation<T>(this AbstractValidator<T> validator, Expression<Func<T, string?>> name, Expression<Func<T, AddressInput?>> address)
    {
        validator.RuleFor(name).NotEmpty().MaximumLength(FieldLimits.LocationName);
        validator.RequiredObject(address, new AddressInputValidator());
    }
}
