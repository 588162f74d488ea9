using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Webhooks;
using PartnerAccounts.Domain.Webhooks;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>Wakes the worker of this node; many wakes before it runs count as one.</summary>
public sealed class WebhookWorkerSignal : IWebhookWorkerSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wakes.Writer.TryWrite(true);

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        poll.CancelAfter(timeout);
        try
        {
            await _wakes.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// The delivery worker, safe to run on every node. It (1) dispatches the outbox: under a lock (PostgreSQL advisory lock; SQLite
/// serialises writers anyway) it gives new events their feed position and creates a delivery for each subscribed webhook;
/// (2) claims due deliveries with a lease (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so nodes never claim the same one) and
/// sends them, at most <see cref="WebhookOptions.MaxConcurrency"/> at a time, off the request path; (3) retries failures with
/// exponential back-off and jitter until the retry window ends; (4) purges what is older than the retention period.
/// </summary>
public sealed class WebhookWorker(
    IServiceScopeFactory scopes, WebhookWorkerSignal signal, WebhookSender sender, WebhookOptions options, IClock clock, ISecretProtector protector,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private const int DispatchBatch = 200;
    private const long DispatchLockKey = 0x5061_5745_6268_6B31; // "PaWebhk1"
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _slots = new(options.MaxConcurrency, options.MaxConcurrency);
    private readonly HashSet<Task> _inFlight = [];
    private DateTime _nextPurge = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await DispatchAsync(stoppingToken) == DispatchBatch;
                busy |= await DeliverDueAsync(stoppingToken);
                await PurgeIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The database may be briefly unreachable; nothing is lost (the work stays in the tables), so try again later.
                logger.LogWarning(exception, "The webhook worker failed a round; it retries on the next one.");
            }

            if (!busy)
            {
                await signal.WaitAsync(options.PollInterval, stoppingToken);
            }
        }

        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        await Task.WhenAll(running);
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Publishes up to one batch of new events: feed positions in commit order, and one delivery per subscribed webhook. On
    /// PostgreSQL the nodes take turns under an advisory lock. On SQLite there is no explicit transaction (the save waits at the
    /// database's write gate, which a transaction already holding the write lock would deadlock with); two dispatchers racing
    /// anyway cannot both publish: the highest position is read before the events, so the later save reuses a taken position
    /// (unique), or finds its event already published (<see cref="AccountEvent.Sequence"/> is a concurrency token), and rolls back.
    /// </summary>
    private async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({DispatchLockKey})", cancellationToken);
        }

        var last = await db.Events.MaxAsync(e => e.Sequence, cancellationToken) ?? 0;
        var events = await db.Events.Where(e => e.Sequence == null).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(DispatchBatch).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return 0;
        }

        var accountIds = events.Select(e => e.AccountId).Distinct().ToList();
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => accountIds.Contains(w.AccountId) && w.Enabled).ToListAsync(cancellationToken);
        var now = clock.UtcNow;
        var deliveries = 0;
        foreach (var accountEvent in events)
        {
            accountEvent.Dispatched(++last);
            foreach (var webhook in webhooks.Where(w => w.AccountId == accountEvent.AccountId && w.CreatedAt <= accountEvent.OccurredAt && w.Subscribes(accountEvent.Type)))
            {
                db.WebhookDeliveries.Add(WebhookDelivery.Create(
                    Guid.CreateVersion7(), webhook.Id, accountEvent.AccountId, accountEvent.Id, accountEvent.Type, PayloadOf(accountEvent), now));
                deliveries++;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (transaction is null)
        {
            logger.LogDebug(exception, "Another dispatcher published these events first.");
            return 0;
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogDebug("Dispatched {Events} events into {Deliveries} deliveries.", events.Count, deliveries);
        return events.Count;
    }

    /// <summary>Claims as many due deliveries as there are free slots and starts sending them; true when every slot got one.</summary>
    private async Task<bool> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var free = _slots.CurrentCount;
        if (free == 0)
        {
            return false;
        }

        var claimed = await ClaimAsync(free, cancellationToken);
        foreach (var delivery in claimed)
        {
            await _slots.WaitAsync(cancellationToken);
            var attempt = Task.Run(() => AttemptAsync(delivery, cancellationToken), CancellationToken.None);
            lock (_inFlight)
            {
                _inFlight.Add(attempt);
            }

            _ = attempt.ContinueWith(
                done =>
                {
                    lock (_inFlight)
                    {
                        _inFlight.Remove(done);
                    }

                    _slots.Release();
                    signal.Wake();
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return claimed.Count == free;
    }

    private sealed record Claimed(Guid Id, Guid LeaseId, Guid WebhookId, Guid MessageId, string EventType, string Payload, DateTime CreatedAt, int Attempts);

    /// <summary>
    /// Takes due deliveries for this node: their next attempt moves to the end of a lease, so no other node takes them while this
    /// one sends, and a node that dies leaves them due again once the lease runs out.
    /// </summary>
    private async Task<List<Claimed>> ClaimAsync(int count, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.UtcNow;
        using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = db.Database.IsNpgsql()
            ? db.WebhookDeliveries.FromSql($"""
                SELECT * FROM "WebhookDeliveries"
                WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now}
                ORDER BY "NextAttemptAt" LIMIT {count}
                FOR UPDATE SKIP LOCKED
                """)
            : db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt).Take(count);
        var ids = await due.Select(d => d.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var leaseId = Guid.NewGuid();
        var leaseEnd = now + options.Lease;
        await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(
            set => set
                .SetProperty(d => d.NextAttemptAt, leaseEnd)
                .SetProperty(d => d.LeaseId, leaseId)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.LastAttemptAt, now),
            cancellationToken);
        var claimed = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.LeaseId == leaseId)
            .Select(d => new Claimed(d.Id, leaseId, d.WebhookId, d.MessageId, d.EventType, d.Payload, d.CreatedAt, d.Attempts))
            .ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task AttemptAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId, cancellationToken);
            if (webhook is null)
            {
                return; // deleted meanwhile, and its deliveries with it
            }

            DeliveryOutcome outcome;
            if (!webhook.Enabled && delivery.EventType != EventTypes.Ping)
            {
                outcome = new DeliveryOutcome(false, null, 0, "The webhook is disabled.");
                await CompleteAsync(db, delivery, outcome, giveUp: true, cancellationToken);
                return;
            }

            var secrets = webhook.SigningSecrets(clock.UtcNow).Select(protector.Unprotect).ToList();
            outcome = await sender.SendAsync(new Uri(webhook.Url), delivery.MessageId.ToString(), delivery.Payload, secrets, cancellationToken);
            await CompleteAsync(db, delivery, outcome, giveUp: false, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the delivery is tried again, here or on another node.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Webhook delivery {DeliveryId} could not be completed; it is retried when its lease runs out.", delivery.Id);
        }
    }

    /// <summary>Records the attempt, unless the lease was lost meanwhile (then whoever holds it now records theirs).</summary>
    private async Task CompleteAsync(AppDbContext db, Claimed delivery, DeliveryOutcome outcome, bool giveUp, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var retryUntil = delivery.CreatedAt + options.RetryWindow;
        DeliveryStatus status;
        DateTime? next = null;
        if (outcome.Delivered)
        {
            status = DeliveryStatus.Delivered;
        }
        else if (giveUp || now >= retryUntil)
        {
            status = DeliveryStatus.Failed;
        }
        else
        {
            status = DeliveryStatus.Pending;
            var retryAt = now + BackOff(delivery.Attempts);
            next = retryAt < retryUntil ? retryAt : retryUntil;
        }

        DateTime? deliveredAt = outcome.Delivered ? now : null;
        using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.LeaseId == delivery.LeaseId).ExecuteUpdateAsync(
            set => set
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LeaseId, (Guid?)null)
                .SetProperty(d => d.LastResponseStatus, outcome.ResponseStatus)
                .SetProperty(d => d.LastDurationMs, outcome.DurationMs)
                .SetProperty(d => d.LastError, outcome.Error)
                .SetProperty(d => d.DeliveredAt, deliveredAt),
            cancellationToken);
    }

    /// <summary>Exponential back-off with "equal jitter": half the doubled delay, plus a random part of the other half.</summary>
    private TimeSpan BackOff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
        var jitter = RandomNumberGenerator.GetInt32(0, 1_000_001) / 1_000_000.0;
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * jitter);
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        if (now < _nextPurge)
        {
            return;
        }

        _nextPurge = now + PurgeInterval;
        var cutoff = now.AddDays(-options.RetentionDays);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var deliveries = await db.WebhookDeliveries.Where(d => d.CreatedAt < cutoff && d.Status != DeliveryStatus.Pending).ExecuteDeleteAsync(cancellationToken);
        // The newest published event always stays: it carries the feed's highest position, which new events continue from.
        var newest = await db.Events.MaxAsync(e => e.Sequence, cancellationToken) ?? 0;
        var events = await db.Events.Where(e => e.OccurredAt < cutoff && e.Sequence != null && e.Sequence < newest).ExecuteDeleteAsync(cancellationToken);
        if (deliveries + events > 0)
        {
            logger.LogInformation("Purged {Events} events and {Deliveries} webhook deliveries older than {Days} days.", events, deliveries, options.RetentionDays);
        }
    }

    private static string PayloadOf(AccountEvent accountEvent)
    {
        using var data = JsonDocument.Parse(accountEvent.Data);
        return JsonSerializer.Serialize(new WebhookPayload(accountEvent.Type, accountEvent.OccurredAt, data.RootElement), WebhookPayload.JsonOptions);
    }
}
