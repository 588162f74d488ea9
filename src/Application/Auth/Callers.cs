using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Auth;

/// <summary>Who the caller is in the directory (docs/adr/0006-identity-model.md).</summary>
public static class Callers
{
    /// <summary>
    /// The directory user rows the caller stands for: the one credential a local sign-in proved, while its security stamp is
    /// still the one in the token (a password change, reset or removal moves it); else, for a token of the external authority,
    /// every row of the verified email. A query, so callers fold it into their own lookup instead of a round trip of its own.
    /// </summary>
    public static IQueryable<User> RowsOf(IAppDbContext db, ICurrentUser caller)
    {
        if (caller.Credential is { } credential)
        {
            return db.Users.Where(u => u.Id == credential.UserId && u.SecurityStamp == credential.SecurityStamp);
        }

        var normalized = EmailAddress.Normalize(caller.Email ?? string.Empty);
        return db.Users.Where(u => u.NormalizedEmail == normalized);
    }

    /// <summary>
    /// One row per role the caller holds in the account (a null role when a member holds none), with the account's status
    /// (read by the same query, for <c>ActiveAccountBehaviour</c>); none when not a member.
    /// </summary>
    public sealed record MembershipRow(Guid UserId, string? RoleId, AccountStatus AccountStatus);

    /// <summary>
    /// The caller's membership rows in one account, the same caller rows as <see cref="RowsOf"/>: the query every
    /// account-scoped use case runs first, so it is compiled once (no expression tree to walk and look up per request).
    /// </summary>
    public static IAsyncEnumerable<MembershipRow> MembershipIn(IAppDbContext db, ICurrentUser caller, Guid accountId) =>
        caller.Credential is { } credential
            ? MembershipOfCredential(db.Context(), accountId, credential.UserId, credential.SecurityStamp)
            : MembershipOfEmail(db.Context(), accountId, EmailAddress.Normalize(caller.Email ?? string.Empty));

    private static readonly Func<DbContext, Guid, Guid, Guid, IAsyncEnumerable<MembershipRow>> MembershipOfCredential = EF.CompileAsyncQuery(
        (DbContext db, Guid accountId, Guid userId, Guid stamp) =>
            from m in db.Set<AccountMember>()
            join u in db.Set<User>() on m.UserId equals u.Id
            join a in db.Set<Account>() on m.AccountId equals a.Id
            where m.AccountId == accountId && u.Id == userId && u.SecurityStamp == stamp
            from r in db.Set<RoleAssignment>().Where(r => r.AccountId == m.AccountId && r.UserId == m.UserId).DefaultIfEmpty()
            select new MembershipRow(m.UserId, r == null ? null : r.RoleId, a.Status));

    private static readonly Func<DbContext, Guid, string, IAsyncEnumerable<MembershipRow>> MembershipOfEmail = EF.CompileAsyncQuery(
        (DbContext db, Guid accountId, string normalizedEmail) =>
            from m in db.Set<AccountMember>()
            join u in db.Set<User>() on m.UserId equals u.Id
            join a in db.Set<Account>() on m.AccountId equals a.Id
            where m.AccountId == accountId && u.NormalizedEmail == normalizedEmail
            from r in db.Set<RoleAssignment>().Where(r => r.AccountId == m.AccountId && r.UserId == m.UserId).DefaultIfEmpty()
            select new MembershipRow(m.UserId, r == null ? null : r.RoleId, a.Status));

    /// <summary>A stable name of the caller for per-caller state (idempotency records, continuation scopes).</summary>
    public static string KeyOf(ICurrentUser caller) =>
        caller.Credential is { } credential ? "cred:" + credential.UserId.ToString("N") : "user:" + EmailAddress.Normalize(caller.Email ?? string.Empty);
}
