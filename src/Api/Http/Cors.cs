using PartnerAccounts.Api.OpenApi;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Browsers as clients: the origins in <c>Cors:AllowedOrigins</c> (an array; none by default, so no cross-origin
/// access at all) may call the API, preflights are answered, and the response headers a frontend needs are exposed.
/// Credentials are bearer tokens in <c>Authorization</c>, never cookies, so credentialed CORS stays off.
/// </summary>
public static class Cors
{
    public const string Section = "Cors:AllowedOrigins";

    /// <summary>Response headers a script may read: versions, created resources, request ids, rate limits, next pages.</summary>
    public static readonly string[] ExposedHeaders =
        ["ETag", "Location", "X-Request-Id", "Retry-After", "Link", "X-Correlation-Id", "MS-CorrelationId", "MS-RequestId", "Idempotent-Replayed"];

    /// <summary>Request headers a script may send besides the CORS-safelisted ones.</summary>
    public static readonly string[] AllowedHeaders =
    [
        "Authorization", "Content-Type", "If-Match", "If-None-Match", PartnerOpenApi.ApiKeyHeader, "Idempotency-Key",
        "X-Request-Id", "X-Correlation-Id", "MS-RequestId", "MS-CorrelationId",
    ];

    public static IServiceCollection AddPartnerCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration.GetSection(Section).Get<string[]>() ?? [])
            .Select(o => o.Trim().TrimEnd('/'))
            .Where(o => o.Length > 0)
            .ToArray();
        foreach (var origin in origins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                throw new InvalidOperationException($"{Section} holds '{origin}': give origins as scheme://host[:port], without a path or '*'.");
            }
        }

        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            policy.WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders(AllowedHeaders)
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return services;
    }
}
