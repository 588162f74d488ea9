using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using DomainRoles = PartnerAccounts.Domain.Users.Roles;

namespace PartnerAccounts.Application.RoleManagement.ListRoleMembers;

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
