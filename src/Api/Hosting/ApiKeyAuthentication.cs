using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Api.Hosting;

/// <summary>Endpoint metadata: besides bearer tokens, this endpoint accepts an API key in <c>X-Api-Key</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AcceptsApiKeyAttribute : Attribute;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// Benchmarks only (<c>Bench:AnonymousMpnVerification</c>, refused in Production): a request without any credentials is let
    /// through as the benchmark caller, because the load generator cannot send headers through the comparison script.
    /// </summary>
    public bool AllowAnonymousForBenchmark { get; set; }
}

/// <summary>
/// <c>X-Api-Key</c> authentication, on the endpoints marked <see cref="AcceptsApiKeyAttribute"/> only, so a key never opens
/// anything but what it is for. The API key scheme is the default scheme and forwards every other request (and a request
/// with a bearer token but no key) to JWT bearer: one handler per request, where a separate policy scheme would cost two on
/// the hottest endpoint. The key is checked against the in-memory key set: no database round trip.
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyIdClaim = "api_key_id";
    public const string AccountIdClaim = "api_key_account_id";
    public const string BenchmarkSetting = "Bench:AnonymousMpnVerification";

    /// <summary>Adds the scheme; make it the default one (<c>AddAuthentication(ApiKeyAuthentication.Scheme)</c>).</summary>
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder) =>
        builder.AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(Scheme, options => options.ForwardDefaultSelector = SchemeFor);

    /// <summary>Where a request is authenticated: API key endpoints take X-Api-Key first, then a bearer token; all else takes bearer only.</summary>
    public static string SchemeFor(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AcceptsApiKeyAttribute>() is null)
        {
            return JwtBearerDefaults.AuthenticationScheme;
        }

        var headers = http.Request.Headers;
        return headers.ContainsKey(HeaderName) || !headers.ContainsKey(HeaderNames.Authorization) ? Scheme : JwtBearerDefaults.AuthenticationScheme;
    }

    /// <summary>The rate-limiting partition of a caller: its API key, else its identity; null when anonymous.</summary>
    public static (string Kind, string Id)? CallerOf(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        if (identity.AuthenticationType == Scheme)
        {
            return ("key", user.FindFirst(KeyIdClaim)?.Value ?? string.Empty);
        }

        return CurrentUser.IdentityOf(user) is { } caller ? ("user", caller) : null;
    }
}

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyAuthenticator keys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal BenchmarkCaller = new(new ClaimsIdentity([new Claim(ApiKeyAuthentication.KeyIdClaim, "benchmark")], ApiKeyAuthentication.Scheme));

    private bool _keyRefused;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[ApiKeyAuthentication.HeaderName];
        if (presented.Count == 0)
        {
            return Options.AllowAnonymousForBenchmark ? Success(BenchmarkCaller) : AuthenticateResult.NoResult();
        }

        var identity = presented.Count == 1 && presented[0] is { } secret ? await keys.AuthenticateAsync(secret, Context.RequestAborted) : null;
        if (identity is null)
        {
            // Not Fail(): the base handler logs failures at Information, and a refused key must not cost a log line per request.
            _keyRefused = true;
            return AuthenticateResult.NoResult();
        }

        return Success(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ApiKeyAuthentication.KeyIdClaim, identity.KeyId.ToString()),
                new Claim(ApiKeyAuthentication.AccountIdClaim, identity.AccountId.ToString()),
            ],
            ApiKeyAuthentication.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{ApiKeyAuthentication.HeaderName}\", Bearer";
        var problem = _keyRefused
            ? Problems.Create(Context, 401, "invalid_api_key", "The API key in X-Api-Key is not valid: it is malformed, unknown or revoked.")
            : Problems.Create(Context, 401, "unauthenticated", "Send an API key in X-Api-Key, or a bearer token (Authorization: Bearer <JWT>).");
        await Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) => AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
}
