using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Auth;

/// <summary>
/// JWT bearer: <c>Auth:Issuer</c> and <c>Auth:Audience</c>, signed either with <c>Auth:SigningKey</c> (HS256,
/// development and tests) or by the OIDC authority <c>Auth:Authority</c> (its JWKS). JWT bearer is the default and only
/// scheme; <c>X-Api-Key</c> is checked by the MPN verification slice for its own endpoints (<c>Api/MpnVerification</c>).
/// </summary>
public static class Authentication
{
    public const string DefaultIssuer = "partneraccounts";
    public const string DefaultAudience = "partneraccounts-api";
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>A token from a temporary password: it only allows <c>POST /v1/me/password</c>.</summary>
    public const string PasswordChangeOnlyClaim = "pwd_change_only";

    public static IServiceCollection AddPartnerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var issuer = configuration["Auth:Issuer"] ?? DefaultIssuer;
        var audience = configuration["Auth:Audience"] ?? DefaultAudience;
        var authority = configuration["Auth:Authority"];
        var signingKey = SigningKey(configuration);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            if (!string.IsNullOrWhiteSpace(authority))
            {
                options.Authority = authority;
            }

            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuers = string.IsNullOrWhiteSpace(authority) ? [issuer] : [issuer, authority.TrimEnd('/'), authority.TrimEnd('/') + "/"],
                ValidAudience = audience,
                IssuerSigningKey = signingKey,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "email",
            };
            options.Events = new JwtBearerEvents
            {
                // The caller is the identity the token names; one the service cannot hold (empty, longer than an email, control
                // characters) identifies nobody, so the request is unauthenticated instead of a write that fails in the database.
                // A token whose email_verified is false identifies nobody; a credential claim that does not parse is no local
                // sign-in of this service, so it is refused rather than treated as an external token.
                OnTokenValidated = context =>
                {
                    var identityClaims = context.HttpContext.RequestServices.GetRequiredService<IdentityClaims>();
                    if (context.Principal is not { } principal || !IsUsableIdentity(identityClaims.IdentityOf(principal)))
                    {
                        context.Fail("The token does not name a usable identity.");
                    }
                    else if (principal.FindFirst("email_verified")?.Value is { } verified && !string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase))
                    {
                        context.Fail("The token's email is not verified.");
                    }
                    else if (principal.FindFirst(CurrentUser.CredentialClaim)?.Value is { } credential &&
                        (!CurrentUser.TryParseCredential(credential, out _) || context.SecurityToken.Issuer != issuer))
                    {
                        context.Fail("The token's credential claim is malformed or not issued by this service.");
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Problems.WriteAsync(context.HttpContext,
                        Problems.Create(context.HttpContext, 401, "unauthenticated", "Send a valid bearer token (Authorization: Bearer <JWT>)."));
                },
            };
        });
        services.AddAuthorization();
        services.AddSingleton<IdentityClaims>();
        return services;
    }

    public static bool IsUsableIdentity(string? identity) =>
        !string.IsNullOrWhiteSpace(identity) && identity.Length <= FieldLimits.Email && !identity.Any(char.IsControl);

    public static SymmetricSecurityKey? SigningKey(IConfiguration configuration)
    {
        var key = configuration["Auth:SigningKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        return bytes.Length >= MinimumSigningKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumSigningKeyBytes} bytes long.");
    }

    /// <summary>Mints an HS256 token with the configured key: the development <c>token</c> command and the tests use it.</summary>
    /// <remarks>
    /// Without <paramref name="credential"/> the token stands for one of the external authority (it reaches every membership of the
    /// email); with it, for the service's own sign-in of that credential (it reaches only that credential's memberships).
    /// </remarks>
    public static string CreateToken(
        IConfiguration configuration, string email, bool isOperator, TimeSpan lifetime, bool passwordChangeOnly = false, Application.Common.Abstractions.LocalCredential? credential = null)
    {
        var key = SigningKey(configuration) ?? throw new InvalidOperationException("Auth:SigningKey is not configured.");
        var claims = new Dictionary<string, object> { ["email"] = email, ["sub"] = email };
        if (credential is not null)
        {
            claims[CurrentUser.CredentialClaim] = CurrentUser.CredentialValue(credential);
        }

        if (isOperator)
        {
            claims["scope"] = CurrentUser.OperatorScope;
        }

        if (passwordChangeOnly)
        {
            claims[PasswordChangeOnlyClaim] = "true";
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = configuration["Auth:Issuer"] ?? DefaultIssuer,
            Audience = configuration["Auth:Audience"] ?? DefaultAudience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
