using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Audit;

/// <summary>Configuration section <c>Audit</c>: how long audit records are kept, and how the purge works through them.</summary>
public sealed class AuditRetentionOptions
{
    public const string Section = "Audit";

    /// <summary>Records older than this many days are purged (Partner Center keeps 90).</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>How often a node looks for expired records.</summary>
    [Range(1, 10_080)]
    public int PurgeIntervalMinutes { get; set; } = 60;

    /// <summary>Records deleted per statement (and per transaction), so a purge never holds long locks.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 1000;
}

/// <summary>
/// Deletes audit records older than <see cref="AuditRetentionOptions.RetentionDays"/>, oldest first, one batch per transaction.
/// Safe on several nodes: each batch is a plain idempotent delete (two nodes deleting the same rows delete them once), and on
/// PostgreSQL a transaction-scoped advisory lock lets only one node work at a time; the others skip their pass.
/// </summary>
public sealed partial class AuditPurger(IServiceScopeFactory scopes, IClock clock, IOptions<AuditRetentionOptions> options, ILogger<AuditPurger> logger)
{
    /// <summary>The advisory lock key of the purge (any constant unique to this job; "audit" in ASCII).</summary>
    private const long PostgresLockKey = 0x6175646974;

    /// <summary>One pass: purges until no expired record is left (or another node holds the lock); returns how many it deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = clock.UtcNow.AddDays(-settings.RetentionDays);
        var total = 0;
        while (true)
        {
            var deleted = await PurgeBatchAsync(cutoff, settings.PurgeBatchSize, cancellationToken);
            if (deleted is not { } count)
            {
                break;
            }

            total += count;
            if (count < settings.PurgeBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogPurged(logger, total, cutoff);
        }

        return total;
    }

    /// <summary>The number deleted, or null when another node is purging right now.</summary>
    private async Task<int?> PurgeBatchAsync(DateTime cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({PostgresLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!locked)
            {
                return null;
            }
        }

        var expired = db.AuditRecords.Where(r => r.OccurredAt < cutoff).OrderBy(r => r.Id).Select(r => r.Id).Take(batchSize);
        var deleted = await db.AuditRecords.Where(r => expired.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} audit records older than {Cutoff:O}")]
    private static partial void LogPurged(ILogger logger, int count, DateTime cutoff);
}

/// <summary>Runs <see cref="AuditPurger"/> at start and then every <see cref="AuditRetentionOptions.PurgeIntervalMinutes"/>.</summary>
public sealed partial class AuditRetentionJob(AuditPurger purger, IOptions<AuditRetentionOptions> options, ILogger<AuditRetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PurgeIntervalMinutes));
        try
        {
            do
            {
                try
                {
                    await purger.PurgeOnceAsync(stoppingToken);
                }
#pragma warning disable CA1031 // a failed pass (database down) must not stop the job: the next pass retries
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired audit records failed; the next pass retries")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class AuditRetentionRegistration
{
    /// <summary>The retention options (validated at start: a wrong value stops the service instead of keeping or purging wrongly) and the job.</summary>
    public static IServiceCollection AddAuditRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditRetentionOptions>().Bind(configuration.GetSection(AuditRetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditPurger>();
        services.AddHostedService<AuditRetentionJob>();
        return services;
    }
}
