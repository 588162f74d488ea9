using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Locations.DeleteLocation;

/// <summary>Deletes a location, never the account's last one. Its MPN ID stays registered, so it is never issued again.</summary>
public sealed record DeleteLocationCommand(Guid AccountId, Guid LocationId, IfMatch IfMatch) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.LocationsManage;
}

public sealed class DeleteLocationHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<DeleteLocationCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(DeleteLocationCommand command, CancellationToken cancellationToken)
    {
        // Two deletions that counted the same locations race on the account's version: the loser starts over, counts again
        // and gets 409 last_location if its location is now the last one (or 412/404 if its own location moved meanwhile).
        return await db.SaveWithRetriesAsync(ct => RemoveLocationAsync(command, ct), SaveRetries.ConcurrencyConflict, cancellationToken);
    }

    private async Task<Result<Success>> RemoveLocationAsync(DeleteLocationCommand command, CancellationToken cancellationToken)
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

        // The account is read before the count: a deletion saved after this read moves the version and fails our save;
        // one saved before it is already missing from the count.
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var locationsOfAccount = await db.Locations.CountAsync(l => l.AccountId == command.AccountId, cancellationToken);
        var removal = account.RemoveLocation(locationsOfAccount);
        if (!removal.IsSuccess)
        {
            return removal.Error!;
        }

        db.Locations.Remove(location);
        audit.Record(command.AccountId, "deleted", LocationRules.AuditResource, location.Id.ToString(), LocationDto.From(location), null);
        return Success.Value;
    }
}
