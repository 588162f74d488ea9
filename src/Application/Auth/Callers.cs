using PartnerAccounts.Application.Common.Abstractions;
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

    /// <summary>A stable name of the caller for per-caller state (idempotency records, continuation scopes).</summary>
    public static string KeyOf(ICurrentUser caller) =>
        caller.Credential is { } credential ? "cred:" + credential.UserId.ToString("N") : "user:" + EmailAddress.Normalize(caller.Email ?? string.Empty);
}
