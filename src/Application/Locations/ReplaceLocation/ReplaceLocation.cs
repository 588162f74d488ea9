using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Locations.ReplaceLocation;

/// <summary>Replaces a location's name and address; its MPN ID never changes.</summary>
public sealed record ReplaceLocationCommand(Guid AccountId, Guid LocationId, IfMatch IfMatch, string? Name, AddressInput? Address)
    : ICommand<Result<Versioned<LocationDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.Location;

    public Guid ResourceId => LocationId;

    public Permission RequiredPermission => Permission.LocationsManage;
}

public sealed class ReplaceLocationCommandValidator : AbstractValidator<ReplaceLocationCommand>
{
    public ReplaceLocationCommandValidator() => this.ValidateLocation(c => c.Name, c => c.Address);
}

public sealed class ReplaceLocationHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<ReplaceLocationCommand, Result<Versioned<LocationDto>>>
{
    public async ValueTask<Result<Versioned<LocationDto>>> Handle(ReplaceLocationCommand command, CancellationToken cancellationToken)
    {
        var location = await db.Locations.FirstOrDefaultAsync(l => l.Id == command.LocationId && l.AccountId == command.AccountId, cancellationToken);
        if (location is null)
        {
            return ProfileErrors.NotFound;
        }

        if (command.IfMatch.Check(location.Version) is { } precondition)
        {
            return precondition;
        }

        var before = LocationDto.From(location);
        location.Replace(command.Name!.Trim(), command.Address!.ToDomain());
        var after = LocationDto.From(location);
        audit.Record(command.AccountId, "updated", LocationRules.AuditResource, location.Id.ToString(), before, after);

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<LocationDto>(after, location.Version) : saved.Error!;
    }
}
