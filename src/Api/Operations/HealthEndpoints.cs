using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PartnerAccounts.Infrastructure;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Api.Operations;

/// <summary>
/// <c>GET /health/live</c> (the process answers; no check runs) and <c>GET /health/ready</c> (the database answers and its
/// schema has every migration of this build): 200 or 503 with a small JSON body, no credentials, outside <c>/v1</c>, its
/// versioning, rate limits and HTTPS redirect (load balancers probe plain HTTP).
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPartnerHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DatabaseHealthCheck>();
        var checks = services.AddHealthChecks()
            .Add(new HealthCheckRegistration("database", sp => sp.GetRequiredService<DatabaseHealthCheck>(), HealthStatus.Unhealthy, [ReadyTag], CheckTimeout));
        if (DependencyInjection.ProviderFrom(configuration) == DatabaseProvider.Postgres)
        {
            // The node's one data source (its pool), not a connection string of its own.
            checks.AddNpgSql(sp => sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), name: "postgres", tags: [ReadyTag], timeout: CheckTimeout);
        }

        services.AddSingleton<MigrationsHealthCheck>();
        checks.Add(new HealthCheckRegistration("migrations", sp => sp.GetRequiredService<MigrationsHealthCheck>(), HealthStatus.Unhealthy, [ReadyTag], CheckTimeout));
        return services;
    }

    /// <summary>Answers the two paths before the rest of the pipeline, so a probe costs only its checks.</summary>
    public static IApplicationBuilder UsePartnerHealthEndpoints(this IApplicationBuilder app) => app
        .UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
        .UseHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });

    /// <summary><c>{"status":"healthy","checks":{"database":"healthy","migrations":"unhealthy"}}</c>: names and states only, never an exception's text.</summary>
    private static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", StateOf(report.Status));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteString(name, StateOf(entry.Status));
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private static string StateOf(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary>
/// The database answers: a context of its own scope connects. Resolved inside the check (not injected), because opening the
/// unit of work's connection is what fails when the database is unreachable, and that must be an unhealthy answer.
/// </summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}

/// <summary>
/// Unhealthy while the database lacks migrations of this build (a node started with <c>Database:MigrateOnStartup=false</c>
/// before <c>migrate</c> ran). Once the schema is current it stays current for this build, so later probes skip the query.
/// </summary>
internal sealed class MigrationsHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private volatile bool _current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_current)
        {
            return HealthCheckResult.Healthy();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending > 0)
        {
            return HealthCheckResult.Unhealthy($"{pending} migrations are pending.");
        }

        _current = true;
        return HealthCheckResult.Healthy();
    }
}
