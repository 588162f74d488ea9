using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.ApiKeys;

/// <summary>
/// Keys' last use, without a database write per request: a key's use is noted in memory at most once a minute, and
/// <see cref="ApiKeyUsageWriter"/> writes the noted uses in the background.
/// </summary>
public sealed class ApiKeyUsage(IClock clock)
{
    public const long RecordEveryMilliseconds = 60_000;

    private readonly ConcurrentDictionary<Guid, DateTime> _pending = new();

    /// <summary>When each key's use was last noted, by key id: the key set is read again every maximum age and after every
    /// change, each time with new entries, and a key's use is still noted at most once a minute.</summary>
    private readonly ConcurrentDictionary<Guid, long> _notedAt = new();

    public void Touch(ApiKeyEntry entry)
    {
        var now = Environment.TickCount64;
        var keyId = entry.Identity.KeyId;
        if (_notedAt.TryGetValue(keyId, out var noted) && now - noted < RecordEveryMilliseconds)
        {
            return;
        }

        // Two requests noting the same key at once note it twice in the same place: harmless.
        _notedAt[keyId] = now;
        _pending[keyId] = clock.UtcNow;
    }

    /// <summary>Takes the uses noted since the last call (and forgets notes older than a minute).</summary>
    public List<KeyValuePair<Guid, DateTime>> Drain()
    {
        var now = Environment.TickCount64;
        foreach (var (keyId, noted) in _notedAt)
        {
            if (now - noted >= RecordEveryMilliseconds)
            {
                _notedAt.TryRemove(new KeyValuePair<Guid, long>(keyId, noted));
            }
        }

        var drained = new List<KeyValuePair<Guid, DateTime>>();
        foreach (var keyId in _pending.Keys)
        {
            if (_pending.TryRemove(keyId, out var usedAt))
            {
                drained.Add(new(keyId, usedAt));
            }
        }

        return drained;
    }
}

/// <summary>Writes noted key uses every <c>ApiKeys:UsageFlushSeconds</c> (default 10), and once more at shutdown.</summary>
public sealed partial class ApiKeyUsageWriter(ApiKeyUsage usage, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ApiKeyUsageWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = Math.Clamp(configuration.GetValue("ApiKeys:UsageFlushSeconds", 10), 1, 3600);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var uses = usage.Drain();
        if (uses.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var (keyId, usedAt) in uses)
            {
                await db.ApiKeys
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
            }
        }
#pragma warning disable CA1031 // a failed write loses only "last used" timestamps; it must never stop the service
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogWriteFailed(logger, ex, uses.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of {Count} API keys")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
