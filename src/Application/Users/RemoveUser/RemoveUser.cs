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

namespace PartnerAccounts.Application.Users.RemoveUser;

/// <summary>Removes a member (and their roles) from the account; the account's last Global admin cannot be removed.</summary>
public sealed record RemoveUserCommand(Guid AccountId, Guid UserId, IfMatch IfMatch) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersManage;
}

public sealed class RemoveUserHandler(IAppDbContext db, AccountAccess access, AuditTrail audit) : ICommandHandler<RemoveUserCommand, Result<Success>>
{
    public ValueTask<Result<Success>> Handle(RemoveUserCommand command, CancellationToken cancellationToken) =>
        new(db.SaveWithRetriesAsync(ct => RemoveAsync(command, ct), SaveRetries.ConcurrencyConflict, cancellationToken));

    private async Task<Result<Success>> RemoveAsync(RemoveUserCommand command, CancellationToken cancellationToken)
    {
        // Read the guard version before counting Global admins (see RemoveRoleHandler), so a concurrent removal forces a retry.
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var member = await db.AccountMembers.FirstOrDefaultAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
        if (member is null)
        {
            return UserErrors.UserNotFound;
        }

        if (command.IfMatch.Check(member.Version) is { } precondition)
        {
            return precondition;
        }

        var roles = await db.RoleAssignments.Where(r => r.AccountId == command.AccountId && r.UserId == command.UserId).ToListAsync(cancellationToken);
        if (roles.Any(r => r.RoleId == Roles.GlobalAdminId))
        {
            if (!access.Has(Permission.GlobalAdminAssign))
            {
                return Error.Forbidden("permission_denied", "Only Global admins may remove a Global admin.");
            }

            var allowed = Account.CanRemoveGlobalAdmin(await Members.GlobalAdminCountAsync(db, command.AccountId, cancellationToken));
            if (!allowed.IsSuccess)
            {
                return allowed.Error!;
            }
        }

        var before = await Members.LoadAsync(db, command.AccountId, command.UserId, cancellationToken);
        db.RoleAssignments.RemoveRange(roles);
        db.AccountMembers.Remove(member);
        // Tokens of the removed credential were issued before the removal: retire them (a re-invitation issues new ones).
        (await db.Users.FirstAsync(u => u.Id == command.UserId, cancellationToken)).RenewSecurityStamp();
        account.TouchGuard();
        audit.Record(command.AccountId, "removed", "users", command.UserId.ToString(), before, null);
        return Success.Value;
    }
}
