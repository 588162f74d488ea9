using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Api.Hosting;

/// <summary>Endpoint metadata: besides bearer tokens, this endpoint accepts an API key in <c>X-Api-Key</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AcceptsApiKeyAttribute : Attribute;

public sealed class ApiKeyAuthenticationOptions
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
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder)
    {
        builder.Services.Configure<AuthenticationOptions>(options => options.AddScheme(Scheme, scheme => scheme.HandlerType = typeof(ApiKeyAuthenticationHandler)));
        builder.Services.TryAddTransient<ApiKeyAuthenticationHandler>();
        return builder;
    }

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

/// <summary>
/// The scheme's handler, written against <see cref="IAuthenticationHandler"/> directly: the <c>AuthenticationHandler</c> base
/// class creates a logger in its constructor (a lock on the shared logger factory, for every request) and runs option and
/// event plumbing that this handler does not need on the hottest endpoint.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptions<ApiKeyAuthenticationOptions> options, IApiKeyAuthenticator keys) : IAuthenticationHandler
{
    private static readonly ClaimsPrincipal BenchmarkCaller = new(new ClaimsIdentity([new Claim(ApiKeyAuthentication.KeyIdClaim, "benchmark")], ApiKeyAuthentication.Scheme));

    private HttpContext _context = null!;
    private AuthenticationScheme _scheme = null!;
    private string? _forwardTo;
    private Task<AuthenticateResult>? _result;
    private bool _keyRefused;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _scheme = scheme;
        _context = context;
        var target = ApiKeyAuthentication.SchemeFor(context);
        _forwardTo = target == scheme.Name ? null : target;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync() =>
        _forwardTo is not null ? _context.AuthenticateAsync(_forwardTo) : _result ??= AuthenticateKeyAsync();

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        if (_forwardTo is not null)
        {
            await _context.ChallengeAsync(_forwardTo, properties);
            return;
        }

        await AuthenticateAsync();
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{ApiKeyAuthentication.HeaderName}\", Bearer";
        var problem = _keyRefused
            ? Problems.Create(_context, 401, "invalid_api_key", "The API key in X-Api-Key is not valid: it is malformed, unknown or revoked.")
            : Problems.Create(_context, 401, "unauthenticated", "Send an API key in X-Api-Key, or a bearer token (Authorization: Bearer <JWT>).");
        await response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        if (_forwardTo is not null)
        {
            return _context.ForbidAsync(_forwardTo, properties);
        }

        _context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private async Task<AuthenticateResult> AuthenticateKeyAsync()
    {
        var presented = _context.Request.Headers[ApiKeyAuthentication.HeaderName];
        if (presented.Count == 0)
        {
            return options.Value.AllowAnonymousForBenchmark ? Success(BenchmarkCaller) : AuthenticateResult.NoResult();
        }

        var identity = presented.Count == 1 && presented[0] is { } secret ? await keys.AuthenticateAsync(secret, _context.RequestAborted) : null;
        if (identity is null)
        {
            // A refused key is no exception and no log line: it is remembered for the challenge's problem code.
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

    private AuthenticateResult Success(ClaimsPrincipal principal) => AuthenticateResult.Success(new AuthenticationTicket(principal, _scheme.Name));
}
