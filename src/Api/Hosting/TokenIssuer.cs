using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Hosting;

/// <summary>The service's own short-lived tokens for password sign-in, signed with <c>Auth:SigningKey</c>.</summary>
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
        return new IssuedToken(Authentication.CreateToken(configuration, email, isOperator: false, Lifetime, passwordChangeOnly, credential), expiresAt);
    }
}
