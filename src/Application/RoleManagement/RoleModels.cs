using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement;


public sealed record RoleDto(string Id, string Name, string Description, SettingsArea SettingsArea, bool IsDirectoryRole, IReadOnlyList<Permission> Permissions)
{
    public static RoleDto From(Role role) =>
        new(role.Id, role.Name, role.Description, role.Area, role.IsDirectoryRole, [.. role.Permissions.Order()]);
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

public sealed record RoleMemberDto(Guid UserId, string Email, string? DisplayName);
