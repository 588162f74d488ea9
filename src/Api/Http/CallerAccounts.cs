using PartnerAccounts.Api.Auth;
using PartnerAccounts.Application.Accounts.CallerAccount;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Http;

/// <summary>"The caller's account" of an HTTP request: what the request carries, handed to <see cref="CallerAccountResolver"/>.</summary>
public static class CallerAccounts
{
    public const string SelectionHeader = CallerAccountErrors.SelectionHeader;

    /// <summary>The API key's account (API key callers), the caller's identity (bearer callers) and <c>X-Account-Id</c>.</summary>
    public static CallerCredentials CredentialsOf(HttpContext http)
    {
        Guid? keyAccount = http.Features.Get<ApiKeyIdentity>()?.AccountId;
        var email = keyAccount is null && http.User.Identity is { IsAuthenticated: true } ? CurrentUser.IdentityOf(http.User) : null;

        var selection = http.Request.Headers[SelectionHeader];
        return new CallerCredentials(keyAccount, email, selection.Count == 0 ? null : selection.ToString());
    }

    public static ValueTask<Result<CallerAccount>> ResolveAsync(this CallerAccountResolver resolver, HttpContext http) =>
        resolver.ResolveAsync(CredentialsOf(http), http.RequestAborted);
}
