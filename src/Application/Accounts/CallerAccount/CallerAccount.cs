using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Accounts.CallerAccount;

/// <summary>How the caller's account was decided: by the API key that authenticated the request, or by the caller's membership.</summary>
public enum CallerAccountSource
{
    ApiKey,
    Membership,
}

/// <summary>The account a request without an account id in its path acts on (Partner Center's routes, MPN verification budgets).</summary>
public readonly record struct CallerAccount(Guid AccountId, CallerAccountSource Source);

/// <summary>
/// What a request says about its account: the account of the API key that authenticated it, else the caller's email (from a
/// bearer token), and the account the caller named (<c>X-Account-Id</c>, as sent; null when not sent).
/// </summary>
public readonly record struct CallerCredentials(Guid? ApiKeyAccountId, string? Email, string? SelectedAccount);

public static class CallerAccountErrors
{
    public const string SelectionHeader = "X-Account-Id";

    public static readonly Error SelectionRequired = Error.Validation(
        "account_selection_required",
        $"You are a member of several accounts: name the one to act on in {SelectionHeader}.",
        new Dictionary<string, string[]> { [SelectionHeader] = ["Required: you are a member of several accounts."] });

    public static readonly Error SelectionInvalid = Error.Validation(
        "validation_failed",
        $"{SelectionHeader} must be an account id (a GUID).",
        new Dictionary<string, string[]> { [SelectionHeader] = ["Must be an account id (a GUID)."] });

    public static readonly Error NotAMember = Error.NotFound("account_not_found", "The account does not exist or you are not a member of it.");

    public static readonly Error Unauthenticated = new(ErrorKind.Unauthorized, "unauthenticated", "Authentication is required.");
}

/// <summary>
/// The one resolver of "the caller's account": an API key's own account (no database round trip); for a person, the one
/// account they are a member of, or the one they name in <c>X-Account-Id</c> when they belong to several (400
/// <c>account_selection_required</c> without it). An account the caller is not a member of is 404, as everywhere.
/// It only chooses the account: what the caller may do there is still decided by the use case's own permission check.
/// </summary>
public sealed class CallerAccountResolver(IAppDbContext db)
{
    public ValueTask<Result<CallerAccount>> ResolveAsync(CallerCredentials caller, CancellationToken cancellationToken)
    {
        Guid? selected = null;
        if (caller.SelectedAccount is { } named)
        {
            if (!Guid.TryParse(named, out var id))
            {
                return ValueTask.FromResult(Result<CallerAccount>.Failure(CallerAccountErrors.SelectionInvalid));
            }

            selected = id;
        }

        if (caller.ApiKeyAccountId is { } keyAccount)
        {
            // A key belongs to one account: naming another one is asking for an account the caller is not a member of.
            return ValueTask.FromResult(selected is null || selected == keyAccount
                ? new CallerAccount(keyAccount, CallerAccountSource.ApiKey)
                : Result<CallerAccount>.Failure(CallerAccountErrors.NotAMember));
        }

        if (caller.Email is null)
        {
            return ValueTask.FromResult(Result<CallerAccount>.Failure(CallerAccountErrors.Unauthenticated));
        }

        return new ValueTask<Result<CallerAccount>>(FromMembershipAsync(EmailAddress.Normalize(caller.Email), selected, cancellationToken));
    }

    private async Task<Result<CallerAccount>> FromMembershipAsync(string normalizedEmail, Guid? selected, CancellationToken cancellationToken)
    {
        var memberships =
            from u in db.Users.AsNoTracking()
            where u.NormalizedEmail == normalizedEmail
            join m in db.AccountMembers.AsNoTracking() on u.Id equals m.UserId
            select m.AccountId;
        if (selected is { } id)
        {
            return await memberships.AnyAsync(a => a == id, cancellationToken)
                ? new CallerAccount(id, CallerAccountSource.Membership)
                : CallerAccountErrors.NotAMember;
        }

        var accounts = await memberships.Take(2).ToListAsync(cancellationToken);
        return accounts switch
        {
            [var only] => new CallerAccount(only, CallerAccountSource.Membership),
            [] => CallerAccountErrors.NotAMember,
            _ => CallerAccountErrors.SelectionRequired,
        };
    }
}
