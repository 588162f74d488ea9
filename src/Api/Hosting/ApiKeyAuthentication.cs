using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Api.Hosting;

public sealed class ApiKeyAuthenticationOptions
{
    /// <summary>
    /// Benchmarks only (<c>Bench:AnonymousMpnVerification</c>, refused in Production): a request without any credentials is let
    /// through as the benchmark caller, because the load generator cannot send headers through the comparison script.
    /// </summary>
    public bool AllowAnonymousForBenchmark { get; set; }
}

/// <summary>
/// <c>X-Api-Key</c> authentication, on the endpoints marked <see cref="ApiKeyAuthAttribute"/> only, so a key never opens
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

    /// <summary>What <c>UseAuthentication()</c> records in the pipeline's properties (ASP.NET Core's AuthAppBuilderExtensions).</summary>
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

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
        if (http.GetEndpoint()?.Metadata.GetMetadata<ApiKeyAuthAttribute>() is null)
        {
            return JwtBearerDefaults.AuthenticationScheme;
        }

        var headers = http.Request.Headers;
        return headers.ContainsKey(HeaderName) || !headers.ContainsKey(HeaderNames.Authorization) ? Scheme : JwtBearerDefaults.AuthenticationScheme;
    }

    /// <summary>
    /// Authentication for the whole app: requests that the API key scheme handles (see <see cref="SchemeFor"/>) are
    /// authenticated by a small middleware that checks the key in memory and sets the caller, and only the others go through
    /// ASP.NET Core's authentication middleware. On the hottest endpoint this saves the framework's per-request services
    /// (a service scope, the handler provider, the authentication service, their tasks): about a quarter of what a
    /// verification allocates. A request the middleware leaves anonymous is challenged by the endpoint, through the
    /// scheme's handler, with the same 401 problem.
    /// </summary>
    public static IApplicationBuilder UsePartnerAuthentication(this IApplicationBuilder app)
    {
        // The host adds UseAuthentication() in front of everything unless the pipeline says it has it; it is in the branch below.
        // (Should that key ever change, the host would authenticate every request once more: still correct, only slower.)
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        var keys = app.ApplicationServices.GetRequiredService<IApiKeyAuthenticator>();
        var options = app.ApplicationServices.GetRequiredService<IOptions<ApiKeyAuthenticationOptions>>().Value;
        return app.Use(next =>
        {
            var others = app.New().UseAuthentication().Use(_ => next).Build();
            return async context =>
            {
                if (SchemeFor(context) != Scheme)
                {
                    await others(context);
                    return;
                }

                var (principal, _) = await AuthenticateKeyAsync(context, keys, options);
                if (principal is not null)
                {
                    context.User = principal;
                }

                await next(context);
            };
        });
    }

    /// <summary>The caller of a request to an API key endpoint, or null; <c>Refused</c> when a key was sent but is not valid.</summary>
    internal static async ValueTask<(ClaimsPrincipal? Principal, bool Refused)> AuthenticateKeyAsync(
        HttpContext context, IApiKeyAuthenticator keys, ApiKeyAuthenticationOptions options)
    {
        var presented = context.Request.Headers[HeaderName];
        if (presented.Count == 0)
        {
            return (options.AllowAnonymousForBenchmark ? BenchmarkCaller : null, false);
        }

        var identity = presented.Count == 1 && presented[0] is { } secret ? await keys.AuthenticateAsync(secret, context.RequestAborted) : null;
        if (identity is null)
        {
            // A refused key is no exception and no log line.
            return (null, true);
        }

        return (new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(KeyIdClaim, identity.KeyId.ToString()), new Claim(AccountIdClaim, identity.AccountId.ToString())],
            Scheme)), false);
    }

    private static readonly ClaimsPrincipal BenchmarkCaller = new(new ClaimsIdentity([new Claim(KeyIdClaim, "benchmark")], Scheme));

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
/// The scheme's handler (challenges, and authentication wherever <c>HttpContext.AuthenticateAsync</c> is called), written against <see cref="IAuthenticationHandler"/> directly: the <c>AuthenticationHandler</c> base
/// class creates a logger in its constructor (a lock on the shared logger factory, for every request) and runs option and
/// event plumbing that this handler does not need on the hottest endpoint.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptions<ApiKeyAuthenticationOptions> options, IApiKeyAuthenticator keys) : IAuthenticationHandler
{
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
        var (principal, refused) = await ApiKeyAuthentication.AuthenticateKeyAsync(_context, keys, options.Value);
        _keyRefused = refused;
        return principal is null ? AuthenticateResult.NoResult() : AuthenticateResult.Success(new AuthenticationTicket(principal, _scheme.Name));
    }
}
