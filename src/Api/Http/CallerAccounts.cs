using PartnerAccounts.Api.Hosting;
using PartnerAccounts.Application.Accounts.CallerAccount;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Http;

/// <summary>"The caller's account" of an HTTP request: what the request carries, handed to <see cref="CallerAccountResolver"/>.</summary>
public static class CallerAccounts
{
    public const string SelectionHeader = CallerAccountErrors.SelectionHeader;

    /// <summary>The API key's account (API key callers), the caller's identity (bearer callers) and <c>X-Account-Id</c>.</summary>
    public static CallerCredentials CredentialsOf(HttpContext http)
    {
        var user = http.User;
        Guid? keyAccount = null;
        string? email = null;
        if (user.Identity is { IsAuthenticated: true } identity)
        {
            if (identity.AuthenticationType == ApiKeyAuthentication.Scheme)
            {
                keyAccount = Guid.TryParse(user.FindFirst(ApiKeyAuthentication.AccountIdClaim)?.Value, out var id) ? id : Guid.Empty;
            }
            else
            {
                email = CurrentUser.IdentityOf(user);
            }
        }

        var selection = http.Request.Headers[SelectionHeader];
        return new CallerCredentials(keyAccount, email, selection.Count == 0 ? null : selection.ToString());
    }

    public static ValueTask<Result<CallerAccount>> ResolveAsync(this CallerAccountResolver resolver, HttpContext http) =>
        resolver.ResolveAsync(CredentialsOf(http), http.RequestAborted);
}
