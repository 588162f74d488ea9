using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>A location's name and address, sent to create one and to replace one.</summary>
public sealed record LocationRequest
{
    [Required, MaxLength(FieldLimits.LocationName)]
    public string? Name { get; init; }

    [Required]
    public Address? Address { get; init; }
}

/// <summary>One of the company's locations and its own location MPN ID.</summary>
public sealed record LocationResponse(Guid Id, string Name, Address Address, string MpnId, DateTime CreatedAt);
