using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using PartnerAccounts.Api.Http;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// How requests reach the service safely: forwarded headers from a trusted TLS-terminating proxy (<c>ForwardedHeaders:*</c>),
/// HTTPS redirection and HSTS outside Development and Testing, and the security headers on every response.
/// </summary>
public static class TransportSecurity
{
    /// <summary>Environments that run on plain HTTP on purpose: a developer's machine and the test hosts.</summary>
    public static bool RequiresHttps(IHostEnvironment environment) => !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

    /// <summary>
    /// <c>ForwardedHeaders:Enabled</c> trusts <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the proxies in
    /// <c>ForwardedHeaders:KnownProxies</c> (IP addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges); with
    /// neither, only a proxy on the loopback interface is trusted. Anyone else's forwarded headers are ignored.
    /// </summary>
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ForwardedHeaders");
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR range."));
            }
        });
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
            options.Preload = false;
        });
        return services;
    }

    /// <summary>Runs before everything that reads the client's address or scheme (the rate limiter, the redirect); only the request id comes first, so redirects carry it too.</summary>
    public static IApplicationBuilder UseTransportSecurity(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("ForwardedHeaders:Enabled"))
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (RequiresHttps(app.Environment))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }
}
