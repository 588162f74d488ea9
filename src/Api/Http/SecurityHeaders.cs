namespace PartnerAccounts.Api.Http;

/// <summary>
/// The standard security headers on every response the application writes (problems, redirects and 304s included):
/// <c>X-Content-Type-Options: nosniff</c>, <c>X-Frame-Options: DENY</c>, <c>Referrer-Policy: no-referrer</c> and a
/// Content-Security-Policy that forbids framing. API responses carry account data, so they also get
/// <c>Cache-Control: no-store</c> and a CSP that loads nothing; the Swagger UI keeps a CSP it can run under and its
/// usual caching. Responses Kestrel writes on its own (431, 414 before the pipeline runs) carry none of these.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string SwaggerContentSecurityPolicy = "frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            Apply((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = SwaggerContentSecurityPolicy;
            return;
        }

        headers.ContentSecurityPolicy = ApiContentSecurityPolicy;

        // An endpoint that deliberately allows caching (public, non-account data) says so itself; everything else is never stored.
        if (string.IsNullOrEmpty(headers.CacheControl))
        {
            headers.CacheControl = "no-store";
        }
    }
}
