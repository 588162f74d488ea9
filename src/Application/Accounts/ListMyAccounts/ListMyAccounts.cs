using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Auth;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.ListMyAccounts;

public sealed record RoleRefDto(string Id, string Name);

public sealed record MyAccountDto(
    Guid AccountId,
    string MpnId,
    string LegalName,
    string DisplayName,
    AccountStatus Status,
    VerificationStatus VerificationStatus,
    IReadOnlyList<RoleRefDto> Roles,
    IReadOnlyList<EnrolledProgramDto> Programs);

/// <summary>The account picker: every account the caller is a member of, with the caller's roles and the account's live programs in each.</summary>
public sealed record ListMyAccountsQuery(PageRequest Page) : IQuery<Result<Page<MyAccountDto>>>;

public sealed class ListMyAccountsQueryValidator : AbstractValidator<ListMyAccountsQuery>
{
    public ListMyAccountsQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListMyAccountsHandler(IAppDbContext db, ICurrentUser user, IContinuationTokens tokens)
    : IQueryHandler<ListMyAccountsQuery, Result<Page<MyAccountDto>>>
{
    public async ValueTask<Result<Page<MyAccountDto>>> Handle(ListMyAccountsQuery query, CancellationToken cancellationToken)
    {
        // The accounts of the credential a local sign-in proved, or of every credential of the external authority's email.
        var scope = "me/accounts:" + Callers.KeyOf(user);
        var page = await (
            from u in Callers.RowsOf(db, user).AsNoTracking()
            join m in db.AccountMembers on u.Id equals m.UserId
            join a in db.Accounts on m.AccountId equals a.Id
            join l in db.LegalBusinessProfiles on a.Id equals l.AccountId
            join o in db.OrganizationProfiles on a.Id equals o.AccountId
            orderby m.CreatedAt, a.Id
            select new { a.Id, a.MpnId, LegalName = l.CompanyName, DisplayName = o.CompanyName, a.Status, a.VerificationStatus, m.UserId })
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        // A credential is a member of at least the account that issued it (or created it): none means the token was retired.
        if (page.Value.Items.Count == 0 && user.Credential is not null && !await Callers.RowsOf(db, user).AnyAsync(cancellationToken))
        {
            return new Error(ErrorKind.Unauthorized, "unauthenticated", "This token was retired (password changed or reset, or removed from the account); sign in again.");
        }

        var accountIds = page.Value.Items.Select(r => r.Id).ToList();
        var userIds = page.Value.Items.Select(r => r.UserId).Distinct().ToList();
        var roles = await db.RoleAssignments.AsNoTracking()
            .Where(r => userIds.Contains(r.UserId) && accountIds.Contains(r.AccountId))
            .Select(r => new { r.AccountId, r.UserId, r.RoleId })
            .ToListAsync(cancellationToken);
        var members = page.Value.Items.Select(r => (r.Id, r.UserId)).ToHashSet();
        var rolesByAccount = roles.Where(r => members.Contains((r.AccountId, r.UserId))).ToLookup(r => r.AccountId, r => r.RoleId);
        var programsByAccount = await AccountEnrollments.LiveAsync(db, accountIds, cancellationToken);

        return page.Value.Map(r => new MyAccountDto(
            r.Id, r.MpnId, r.LegalName, r.DisplayName, r.Status, r.VerificationStatus,
            [.. rolesByAccount[r.Id].Order(StringComparer.Ordinal).Select(id => new RoleRefDto(id, Domain.Users.Roles.Find(id)?.Name ?? id))],
            [.. programsByAccount[r.Id]]));
    }
}
