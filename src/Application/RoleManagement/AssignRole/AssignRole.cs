using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.AssignRole;

/// <summary>
/// Grants a role (idempotent). The permission it takes depends on the role: Global admin only by Global admins, the other
/// directory role by user managers, any other role by whoever may assign roles.
/// </summary>
public sealed record AssignRoleCommand(Guid AccountId, Guid UserId, string RoleId) : ICommand<Result<IReadOnlyList<RoleDto>>>, IAccountRequest
{
    public Permission RequiredPermission => DomainRoles.Find(RoleId) is { } role ? DomainRoles.PermissionToAssign(role) : Permission.UsersRead;
}

public sealed class AssignRoleHandler(IAppDbContext db, IClock clock, AuditTrail audit) : ICommandHandler<AssignRoleCommand, Result<IReadOnlyList<RoleDto>>>
{
    public async ValueTask<Result<IReadOnlyList<RoleDto>>> Handle(AssignRoleCommand command, CancellationToken cancellationToken)
    {
        if (DomainRoles.Find(command.RoleId) is not { } role)
        {
            return UserErrors.RoleNotFound;
        }

        var result = await db.SaveWithRetriesAsync(async ct =>
        {
            var member = await db.AccountMembers.FirstOrDefaultAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
            if (member is null)
            {
                return Result<Success>.Failure(UserErrors.UserNotFound);
            }

            if (await db.RoleAssignments.AnyAsync(r => r.AccountId == command.AccountId && r.UserId == command.UserId && r.RoleId == command.RoleId, cancellationToken))
            {
                return Success.Value;
            }

            // The account (and its guard) is read before its enrollments, so a withdrawal racing this assignment moves the guard
            // and one of the two stages again.
            var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
            var settings = await AccountEnrollments.SettingsAsync(db, command.AccountId, cancellationToken);
            var assignable = settings.CheckAssignable([role], "roleId");
            if (!assignable.IsSuccess)
            {
                return assignable;
            }

            db.RoleAssignments.Add(RoleAssignment.Create(command.AccountId, command.UserId, command.RoleId, clock.UtcNow));
            member.RecordRoleChange();
            account.TouchGuard();
            audit.Record(command.AccountId, "roleAssigned", "users/roles", command.UserId.ToString(), null, new { userId = command.UserId, roleId = command.RoleId });
            return Success.Value;
        }, SaveRetries.ConcurrencyConflict, cancellationToken);

        return result.IsSuccess ? await UserRoles.LoadAsync(db, command.AccountId, command.UserId, cancellationToken) : result.Error!;
    }
}
