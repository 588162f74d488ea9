using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// Reads the cache change feed and applies the rows other nodes wrote (this node's own, marked with its
/// <see cref="CacheChangeOrigin"/>, were applied when it committed them): at once when poked (on PostgreSQL, a notification from
/// the writing node, see <see cref="PostgresCacheChangeListener"/>: milliseconds), else every
/// <c>Caching:FeedFallbackPollMilliseconds</c> (default 5000) while notifications are received, and every
/// <c>Caching:FeedPollMilliseconds</c> (default 100) while they are not (SQLite, or the listener reconnecting).
/// <para>
/// While the feed cannot be read (the database is down) nothing is cleared: cached answers keep serving (each for at most its
/// maximum age), and once the feed can be read again every row above the cursor is applied, so nothing committed meanwhile
/// is missed.
/// </para>
/// <para>
/// Ids are handed out when a row is inserted but become visible when its transaction commits, so on PostgreSQL a smaller id
/// can appear after a larger one, and a rolled-back insert leaves a permanent hole. The feed therefore keeps its cursor below
/// the first missing id, re-reading what lies above it (applying a row twice is harmless), until the hole is filled or older
/// than <see cref="HoleTimeout"/> (a transaction that long is not one of ours: they last milliseconds).
/// </para>
/// </summary>
public sealed partial class CacheChangeFeed(
    IServiceScopeFactory scopes,
    CacheInvalidator caches,
    CacheChangeSignal signal,
    CacheChangeOrigin origin,
    IClock clock,
    IConfiguration configuration,
    ILogger<CacheChangeFeed> logger,
    ICacheChangeListener? listener = null)
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
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(configuration.GetValue("Caching:FeedPollMilliseconds", 100), 10, 60_000));
        var fallback = TimeSpan.FromMilliseconds(Math.Clamp(configuration.GetValue("Caching:FeedFallbackPollMilliseconds", 5000), 10, 600_000));
        var started = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
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
#pragma warning disable CA1031 // the feed must outlive a database outage; it catches up from its cursor afterwards
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    if (!_failing)
                    {
                        _failing = true;
                        LogFailed(logger, ex);
                    }
                }

                await signal.WaitAsync(listener is { IsListening: true } ? fallback : interval, stoppingToken);
            }
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
            .Select(c => new { c.Id, c.Kind, c.Key, c.Origin })
            .ToListAsync(cancellationToken);

        // This node's own rows move the cursor but are not applied again: it applied them when it committed them.
        caches.Apply(rows.Where(row => _appliedAboveCursor.Add(row.Id) && row.Origin != origin.Id).Select(row => (row.Kind, row.Key)).ToList());

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cache change feed cannot be read; cached answers keep serving until their maximum age")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cache change feed can be read again")]
    private static partial void LogRecovered(ILogger logger);
}
