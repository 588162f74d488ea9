using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Locations.CreateLocation;

/// <summary>Adds a location; it gets its own new location MPN ID.</summary>
public sealed record CreateLocationCommand(Guid AccountId, string? Name, AddressInput? Address) : ICommand<Result<Versioned<LocationDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.LocationsManage;
}

public sealed class CreateLocationCommandValidator : AbstractValidator<CreateLocationCommand>
{
    public CreateLocationCommandValidator() => this.ValidateLocation(c => c.Name, c => c.Address);
}

public sealed class CreateLocationHandler(IAppDbContext db, IClock clock, IMpnIdIssuer mpnIds, AuditTrail audit)
    : ICommandHandler<CreateLocationCommand, Result<Versioned<LocationDto>>>
{
    public async ValueTask<Result<Versioned<LocationDto>>> Handle(CreateLocationCommand command, CancellationToken cancellationToken)
    {
        // MPN IDs are random; a creation racing another for the same one loses only the unique-key race and retries with a fresh ID.
        var created = await db.SaveWithRetriesAsync(ct => AddLocationAsync(command, ct), SaveRetries.UniqueConflict, cancellationToken);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        // Read back as stored, so the response shows exactly what a later GET shows (PostgreSQL keeps microseconds, not ticks).
        var location = await db.Locations.AsNoTracking().FirstAsync(l => l.Id == created.Value, cancellationToken);
        return new Versioned<LocationDto>(LocationDto.From(location), location.Version);
    }

    private async Task<Result<Guid>> AddLocationAsync(CreateLocationCommand command, CancellationToken cancellationToken)
    {
        var location = Location.Create(
            Ids.NewVersion7(), command.AccountId, command.Name!.Trim(), command.Address!.ToDomain(), await mpnIds.NextAsync(cancellationToken), clock.UtcNow);
        db.Locations.Add(location);
        db.MpnRegistrations.Add(MpnRegistration.ForLocation(location.MpnId, location.AccountId, location.Id));
        audit.Record(command.AccountId, "created", LocationRules.AuditResource, location.Id.ToString(), null, LocationDto.From(location));
        return location.Id;
    }
}
