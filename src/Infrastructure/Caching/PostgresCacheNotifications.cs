using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// Sends and receives the PostgreSQL notification that the cache change feed has new rows (<c>NOTIFY partneraccounts_cache</c>),
/// so every node reads them within milliseconds instead of at its next poll. The notification carries only the sender's
/// <see cref="CacheChangeOrigin"/> (the sender ignores its own): the feed table stays the one record of what changed (a missed
/// notification costs a fallback poll, never a change).
/// </summary>
public interface ICacheChangeNotifier
{
    /// <summary>After a save that wrote feed rows has committed; never throws (the feed's polls are the fallback).</summary>
    Task NotifyAsync(CancellationToken cancellationToken);
}

/// <summary>Whether notifications are being received now; while they are not, the feed polls at its fast interval.</summary>
public interface ICacheChangeListener
{
    bool IsListening { get; }
}

public static class CacheNotificationChannel
{
    public const string Name = "partneraccounts_cache";
}

public sealed partial class PostgresCacheChangeNotifier(NpgsqlDataSource dataSource, CacheChangeOrigin origin, ILogger<PostgresCacheChangeNotifier> logger)
    : ICacheChangeNotifier
{
    public async Task NotifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = CacheNotificationChannel.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = origin.Payload });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
#pragma warning disable CA1031 // the change is committed and its feed row written: the other nodes' fallback poll finds it
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogNotifyFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify the other nodes of a cache change ({Reason}); they see it at their next feed poll")]
    private static partial void LogNotifyFailed(ILogger logger, string reason);
}

/// <summary>
/// One long-lived connection per node that <c>LISTEN</c>s on the channel and pokes the feed for every notification another node
/// sent (its own, by payload, are skipped). When the
/// connection fails (a restart, a network cut, noticed by Npgsql's keepalive) it reconnects with a growing pause (0.1 s to 5 s),
/// and pokes the feed once listening again, for whatever was committed meanwhile.
/// </summary>
public sealed partial class PostgresCacheChangeListener(
    NpgsqlDataSource dataSource, CacheChangeSignal signal, CacheChangeOrigin origin, ILogger<PostgresCacheChangeListener> logger)
    : BackgroundService, ICacheChangeListener
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private volatile bool _listening;

    public bool IsListening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var own = origin.Payload;
                connection.Notification += (_, notification) =>
                {
                    if (!string.Equals(notification.Payload, own, StringComparison.Ordinal))
                    {
                        signal.Poke();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {CacheNotificationChannel.Name}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening = true;
                signal.Poke();
                pause = FirstPause;
                if (failing)
                {
                    failing = false;
                    LogReconnected(logger);
                }

                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the listener must outlive any database failure; the feed polls fast while it is down
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _listening = false;
                if (!failing)
                {
                    failing = true;
                    LogDisconnected(logger, ex.Message);
                }
            }

            try
            {
                await Task.Delay(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening for cache change notifications ({Reason}); polling the feed until reconnected")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for cache change notifications again")]
    private static partial void LogReconnected(ILogger logger);
}
