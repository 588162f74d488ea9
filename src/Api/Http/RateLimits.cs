using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Operations;
using PartnerAccounts.Application.Common.Telemetry;

namespace PartnerAccounts.Api.Http;

/// <summary>ASP.NET Core's rate limiter (sign-in); a refusal is 429 with <c>Retry-After</c> and a problem body. MPN ID verification has per-account budgets of its own (Api/MpnVerification).</summary>
public static class RateLimits
{
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddPartnerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signIn = Window(configuration, "SignIn", defaultPermits: 10, defaultSeconds: 60);
        services.AddRateLimiter(options =>
        {
            // Password guessing is throttled per client address, whoever it targets; per-user lockout is the domain's job.
            options.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signIn.Permits, Window = signIn.Window, QueueLimit = 0 }));

            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : signIn.Window;
                var http = context.HttpContext;
                PartnerAccountsMetrics.RateLimitRejection(http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "global");
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(http, Problems.Create(http, StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests; retry after the time in Retry-After."));
            };
        });
        return services;
    }

    private static (int Permits, TimeSpan Window) Window(IConfiguration configuration, string name, int defaultPermits, int defaultSeconds)
    {
        // Validated on start (StartupValidation): a limit below 1 stops the service before it listens.
        var permits = configuration.GetValue($"RateLimits:{name}:PermitLimit", defaultPermits);
        var seconds = configuration.GetValue($"RateLimits:{name}:WindowSeconds", defaultSeconds);
        return (Math.Max(1, permits), TimeSpan.FromSeconds(Math.Max(1, seconds)));
    }
}
