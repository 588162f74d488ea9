using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.RemoveRole;

/// <summary>Revokes a role (idempotent); the account's last Global admin keeps theirs (409 <c>last_global_admin</c>), also under concurrent requests.</summary>
public sealed record RemoveRoleCommand(Guid AccountId, Guid UserId, string RoleId) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => DomainRoles.Find(RoleId) is { } role ? DomainRoles.PermissionToAssign(role) : Permission.UsersRead;
}

public sealed class RemoveRoleHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<RemoveRoleCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(RemoveRoleCommand command, CancellationToken cancellationToken)
    {
        if (DomainRoles.Find(command.RoleId) is null)
        {
            return UserErrors.RoleNotFound;
        }

        return await db.SaveWithRetriesAsync(async ct =>
        {
            // The guard version is read before the Global admins are counted: a removal committed after this read moves
            // it, so this save fails and the retry counts again; one committed before it is already in the count.
            var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
            var member = await db.AccountMembers.FirstOrDefaultAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
            if (member is null)
            {
                return Result<Success>.Failure(UserErrors.UserNotFound);
            }

            var assignment = await db.RoleAssignments.FirstOrDefaultAsync(
                r => r.AccountId == command.AccountId && r.UserId == command.UserId && r.RoleId == command.RoleId, cancellationToken);
            if (assignment is null)
            {
                return Success.Value;
            }

            if (command.RoleId == DomainRoles.GlobalAdminId)
            {
                var allowed = Account.CanRemoveGlobalAdmin(await Members.GlobalAdminCountAsync(db, command.AccountId, cancellationToken));
                if (!allowed.IsSuccess)
                {
                    return allowed;
                }
            }

            db.RoleAssignments.Remove(assignment);
            member.RecordRoleChange();
            account.TouchGuard();
            audit.Record(command.AccountId, "roleRemoved", "users/roles", command.UserId.ToString(), new { userId = command.UserId, roleId = command.RoleId }, null);
            return Success.Value;
        }, SaveRetries.ConcurrencyConflict, cancellationToken);
    }
}
