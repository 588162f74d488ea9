using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// Reads the cache change feed every <c>Caching:FeedPollMilliseconds</c> (default 500) and applies the rows other nodes wrote,
/// so a change made on any node reaches this node's caches within about half a second.
/// <para>
/// Ids are handed out when a row is inserted but become visible when its transaction commits, so on PostgreSQL a smaller id
/// can appear after a larger one, and a rolled-back insert leaves a permanent hole. The feed therefore keeps its cursor below
/// the first missing id, re-reading what lies above it (applying a row twice is harmless), until the hole is filled or older
/// than <see cref="HoleTimeout"/> (a transaction that long is not one of ours: they last milliseconds).
/// </para>
/// </summary>
public sealed partial class CacheChangeFeed(
    IServiceScopeFactory scopes, CacheInvalidator caches, IClock clock, IConfiguration configuration, ILogger<CacheChangeFeed> logger)
    : BackgroundService
{
    public static readonly TimeSpan HoleTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(5);

    /// <summary>How far below the newest row a starting node begins, so the rows of transactions still committing are not skipped.</summary>
    private const long StartBehind = 1000;
    private const int BatchSize = 1000;

    private readonly SortedSet<long> _appliedAboveCursor = [];
    private long _cursor;
    private DateTime? _holeSince;
    private DateTime _lastPrune = DateTime.MinValue;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(configuration.GetValue("Caching:FeedPollMilliseconds", 500), 50, 60_000));
        using var timer = new PeriodicTimer(interval);
        var started = false;
        try
        {
            do
            {
                try
                {
                    if (!started)
                    {
                        _cursor = Math.Max(0, await NewestIdAsync(stoppingToken) - StartBehind);
                        started = true;
                    }

                    await PollAsync(stoppingToken);
                    await PruneIfDueAsync(stoppingToken);
                    if (_failing)
                    {
                        _failing = false;
                        LogRecovered(logger);
                    }
                }
#pragma warning disable CA1031 // the feed must outlive a database outage; while it cannot read, nothing cached is trusted
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    caches.InvalidateAll();
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailed(logger, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<long> NewestIdAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.CacheChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var cursor = _cursor;
        var rows = await db.CacheChanges.AsNoTracking()
            .Where(c => c.Id > cursor)
            .OrderBy(c => c.Id)
            .Take(BatchSize)
            .Select(c => new { c.Id, c.Kind, c.Key })
            .ToListAsync(cancellationToken);

        caches.Apply(rows.Where(row => _appliedAboveCursor.Add(row.Id)).Select(row => (row.Kind, row.Key)).ToList());

        Advance();
    }

    /// <summary>Moves the cursor over every id applied without a hole before it; gives up on a hole older than <see cref="HoleTimeout"/>.</summary>
    private void Advance()
    {
        while (true)
        {
            while (_appliedAboveCursor.Count > 0 && _appliedAboveCursor.Min == _cursor + 1)
            {
                _cursor++;
                _appliedAboveCursor.Remove(_cursor);
            }

            if (_appliedAboveCursor.Count == 0)
            {
                _holeSince = null;
                return;
            }

            var now = clock.UtcNow;
            _holeSince ??= now;
            if (now - _holeSince.Value < HoleTimeout)
            {
                return;
            }

            _cursor = _appliedAboveCursor.Min - 1;
            _holeSince = null;
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        if (now - _lastPrune < PruneEvery)
        {
            return;
        }

        _lastPrune = now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = now - Retention;
        await db.CacheChanges.Where(c => c.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cache change feed cannot be read; the verification caches are cleared until it can")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cache change feed can be read again")]
    private static partial void LogRecovered(ILogger logger);
}
