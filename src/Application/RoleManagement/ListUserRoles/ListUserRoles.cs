using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.ListUserRoles;

public sealed record ListUserRolesQuery(Guid AccountId, Guid UserId) : IQuery<Result<IReadOnlyList<RoleDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class ListUserRolesHandler(IAppDbContext db) : IQueryHandler<ListUserRolesQuery, Result<IReadOnlyList<RoleDto>>>
{
    public async ValueTask<Result<IReadOnlyList<RoleDto>>> Handle(ListUserRolesQuery query, CancellationToken cancellationToken) =>
        await UserRoles.LoadAsync(db, query.AccountId, query.UserId, cancellationToken);
}
