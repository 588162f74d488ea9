using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.LearnProfiles;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users.ListUsers;

public sealed record ListUsersQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<UserDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class ListUsersQueryValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListUsersHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListUsersQuery, Result<Page<UserDto>>>
{
    public async ValueTask<Result<Page<UserDto>>> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        var scope = $"users:{query.AccountId}";
        var page = await (
            from m in db.AccountMembers.AsNoTracking()
            where m.AccountId == query.AccountId
            join u in db.Users on m.UserId equals u.Id
            orderby m.CreatedAt, u.Id
            select new { u.Id, u.Email, m.DisplayName, m.CreatedAt })
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var ids = page.Value.Items.Select(r => r.Id).ToList();
        var roles = (await db.RoleAssignments.AsNoTracking()
            .Where(r => r.AccountId == query.AccountId && ids.Contains(r.UserId))
            .Select(r => new { r.UserId, r.RoleId })
            .ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.RoleId);
        var learn = await LearnProfileSummaries.OfAsync(db, [.. page.Value.Items.Select(r => EmailAddress.Normalize(r.Email))], cancellationToken);

        return page.Value.Map(r => new UserDto(
            r.Id, r.Email, r.DisplayName, [.. roles[r.Id].Order(StringComparer.Ordinal).Select(UserErrors.RoleRef)], r.CreatedAt)
        {
            LearnProfile = learn.For(r.Email),
        });
    }
}
