using System.Security.Claims;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Auth;

/// <summary>
/// The caller, read from the validated token: the first of the claims <see cref="IdentityClaims"/> names (default <c>email</c>
/// only), and the local credential a token of the service's own sign-in carries (<see cref="CredentialClaim"/>).
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor accessor, IdentityClaims identityClaims) : ICurrentUser
{
    public const string OperatorScope = "partneraccounts.operator";

    /// <summary>The directory user row a local sign-in proved, and its security stamp then (<c>&lt;userId&gt;.&lt;stamp&gt;</c>).</summary>
    public const string CredentialClaim = "pa_cred";

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public string? Email => IsAuthenticated ? identityClaims.IdentityOf(Principal!) : null;

    public LocalCredential? Credential => IsAuthenticated ? CredentialOf(Principal!) : null;

    public bool IsOperator => IsAuthenticated && IsOperatorPrincipal(Principal!);

    public string? CorrelationId => accessor.HttpContext is { } http ? RequestIds.CorrelationOf(http) : null;

    /// <summary>
    /// A stable key for the caller in per-caller partitions (rate limits): not an identity decision, so it needs no configuration;
    /// who the caller is for authorization is <see cref="Email"/> and <see cref="Credential"/>.
    /// </summary>
    public static string? IdentityOf(ClaimsPrincipal principal) =>
        principal.FindFirst(CredentialClaim)?.Value ?? principal.FindFirst("email")?.Value ?? principal.FindFirst("sub")?.Value;

    public static string CredentialValue(LocalCredential credential) => $"{credential.UserId:N}.{credential.SecurityStamp:N}";

    /// <summary>The credential claim, or null when there is none; a malformed one is treated as none by <see cref="Authentication"/>, which refuses such tokens.</summary>
    public static LocalCredential? CredentialOf(ClaimsPrincipal principal) =>
        principal.FindFirst(CredentialClaim)?.Value is { } value && TryParseCredential(value, out var credential) ? credential : null;

    public static bool TryParseCredential(string value, out LocalCredential? credential)
    {
        credential = null;
        var parts = value.Split('.');
        if (parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var userId) && Guid.TryParseExact(parts[1], "N", out var stamp))
        {
            credential = new LocalCredential(userId, stamp);
        }

        return credential is not null;
    }

    public static bool IsOperatorPrincipal(ClaimsPrincipal principal) =>
        principal.FindAll("scope").Concat(principal.FindAll("scp")).Any(c => c.Value.Split(' ').Contains(OperatorScope, StringComparer.Ordinal)) ||
        principal.FindAll("role").Concat(principal.FindAll("roles")).Any(c => c.Value == OperatorScope);
}

/// <summary>
/// Which claims identify a person (<c>Auth:IdentityClaims</c>, comma-separated, in order of preference; default <c>email</c>).
/// <c>preferred_username</c> or <c>sub</c> stand in for the email only when named here, for identity providers that guarantee
/// them to be the person's verified email.
/// </summary>
public sealed class IdentityClaims
{
    public const string Default = "email";

    public IdentityClaims(IConfiguration configuration)
    {
        var configured = configuration["Auth:IdentityClaims"];
        Names = string.IsNullOrWhiteSpace(configured)
            ? [Default]
            : [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public IReadOnlyList<string> Names { get; }

    public string? IdentityOf(ClaimsPrincipal principal)
    {
        foreach (var name in Names)
        {
            if (principal.FindFirst(name)?.Value is { } value)
            {
                return value;
            }
        }

        return null;
    }
}
