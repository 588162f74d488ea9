using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement;

public sealed record RoleDto(string Id, string Name, string Description, SettingsArea SettingsArea, bool IsDirectoryRole, IReadOnlyList<Permission> Permissions)
{
    public static RoleDto From(Role role) =>
        new(role.Id, role.Name, role.Description, role.Area, role.IsDirectoryRole, [.. role.Permissions.Order()]);
}

/// <summary>The role catalogue: every role, its settings area and the permissions it grants.</summary>
public sealed record ListRolesQuery : IQuery<IReadOnlyList<RoleDto>>;

public sealed class ListRolesHandler : IQueryHandler<ListRolesQuery, IReadOnlyList<RoleDto>>
{
    private static readonly IReadOnlyList<RoleDto> Catalogue = [.. DomainRoles.All.Select(RoleDto.From)];

    public ValueTask<IReadOnlyList<RoleDto>> Handle(ListRolesQuery query, CancellationToken cancellationToken) => new(Catalogue);
}

public sealed record ListUserRolesQuery(Guid AccountId, Guid UserId) : IQuery<Result<IReadOnlyList<RoleDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class ListUserRolesHandler(IAppDbContext db) : IQueryHandler<ListUserRolesQuery, Result<IReadOnlyList<RoleDto>>>
{
    public async ValueTask<Result<IReadOnlyList<RoleDto>>> Handle(ListUserRolesQuery query, CancellationToken cancellationToken) =>
        await UserRoles.LoadAsync(db, query.AccountId, query.UserId, cancellationToken);
}

internal static class UserRoles
{
    public static async Task<Result<IReadOnlyList<RoleDto>>> LoadAsync(IAppDbContext db, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        if (!await db.AccountMembers.AnyAsync(m => m.AccountId == accountId && m.UserId == userId, cancellationToken))
        {
            return UserErrors.UserNotFound;
        }

        var ids = await db.RoleAssignments.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.UserId == userId)
            .Select(r => r.RoleId)
            .ToListAsync(cancellationToken);
        return Result<IReadOnlyList<RoleDto>>.Success([.. ids.Order(StringComparer.Ordinal).Select(id => RoleDto.From(DomainRoles.Find(id)!))]);
    }
}

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

public sealed record RoleMemberDto(Guid UserId, string Email, string? DisplayName);

public sealed record ListRoleMembersQuery(Guid AccountId, string RoleId, PageRequest Page) : IQuery<Result<Page<RoleMemberDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class ListRoleMembersQueryValidator : AbstractValidator<ListRoleMembersQuery>
{
    public ListRoleMembersQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListRoleMembersHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListRoleMembersQuery, Result<Page<RoleMemberDto>>>
{
    public async ValueTask<Result<Page<RoleMemberDto>>> Handle(ListRoleMembersQuery query, CancellationToken cancellationToken)
    {
        if (DomainRoles.Find(query.RoleId) is null)
        {
            return UserErrors.RoleNotFound;
        }

        var scope = $"roles/{query.RoleId}/members:{query.AccountId}";
        return await (
            from r in db.RoleAssignments.AsNoTracking()
            where r.AccountId == query.AccountId && r.RoleId == query.RoleId
            join m in db.AccountMembers on new { r.AccountId, r.UserId } equals new { m.AccountId, m.UserId }
            join u in db.Users on r.UserId equals u.Id
            orderby r.AssignedAt, u.Id
            select new RoleMemberDto(u.Id, u.Email, m.DisplayName))
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
    }
}
