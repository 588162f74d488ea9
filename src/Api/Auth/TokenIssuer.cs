using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Auth;

/// <summary>
/// The service's own short-lived tokens for password sign-in, signed with <c>Auth:SigningKey</c>. People listed in
/// <c>Auth:Operators</c> (emails) get the operator scope, so operators can sign in without an external identity provider.
/// </summary>
public sealed class TokenIssuer(IConfiguration configuration, IClock clock) : ITokenIssuer
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public IssuedToken? Issue(string email, LocalCredential credential, bool passwordChangeOnly)
    {
        if (Authentication.SigningKey(configuration) is null)
        {
            return null;
        }

        var expiresAt = clock.UtcNow + Lifetime;
        return new IssuedToken(Authentication.CreateToken(configuration, email, !passwordChangeOnly && IsOperator(email), Lifetime, passwordChangeOnly, credential), expiresAt);
    }

    /// <summary>A password-change-only token never carries the scope: <see cref="PasswordChangeGateMiddleware"/> lets it do nothing else.</summary>
    private bool IsOperator(string email) =>
        configuration.GetSection("Auth:Operators").Get<string[]>()?.Any(o => string.Equals(o.Trim(), email, StringComparison.OrdinalIgnoreCase)) == true;
}
