using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Webhooks;
using PartnerAccounts.Domain.Common;
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
/// The worker writes in rounds, not per delivery: one round publishes the new events, records the outcomes of every attempt
/// finished since the last one and claims the next deliveries in a single transaction of a few set-based statements, so a busy
/// node costs the database one short write per round (on SQLite one turn at the write gate, the log flushed after the turn is
/// given back) instead of several statements per event and delivery. What a round can read it reads before that write (the
/// new events, their webhooks and bodies, whether anything is due), and each statement takes its rows as one JSON parameter
/// (<see cref="WorkerRows"/>): on SQLite every request's save waits while the worker holds the write gate, so the worker's
/// turn is what a subscription costs the writes most (ADR 0012, amendment of 2026-12-02, night). Under load a
/// round starts at most every <see cref="RoundInterval"/>, so each round carries many events and deliveries; after a quiet
/// spell the first wake starts one at once.
/// </summary>
public sealed class WebhookWorker(
    IServiceScopeFactory scopes, WebhookWorkerSignal signal, WebhookSender sender, WebhookOptions options, IClock clock, ISecretProtector protector,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private const int DispatchBatch = 1000;
    private const long DispatchLockKey = 0x5061_5745_6268_6B31; // "PaWebhk1"
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// The shortest time between two rounds: what a delivery may wait at most for the round that sends it while writes keep
    /// coming (a quiet node starts a round at once). It lets one round carry the events of many writes: each round costs the
    /// database a turn and the node a burst of sends, so fewer, fuller rounds cost the writes less than many small ones.
    /// </summary>
    internal static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _slots = new(options.MaxConcurrency, options.MaxConcurrency);
    private readonly HashSet<Task> _inFlight = [];
    private readonly ConcurrentQueue<Finished> _finished = new();

    /// <summary>
    /// How many deliveries this node holds claimed at most (waiting for a slot or being sent): enough that a round keeps every
    /// slot busy until the next, few enough that the last of them starts while its lease still has a whole time-out to run.
    /// </summary>
    private readonly int _capacity = options.MaxConcurrency * Math.Clamp((int)(options.Lease / options.Timeout) - 1, 1, 8);

    /// <summary>
    /// The signing secrets of the webhooks the last round sent to, unprotected, keyed by their protected form (which a rotation
    /// changes): a round unprotects only a secret it has not seen in the round before, and keeps only the ones it used, so a
    /// deleted webhook's secret leaves memory with the next round. Used by the worker's loop only, one round at a time.
    /// </summary>
    private Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    private int _unfinished;
    private long _lastRound;
    private DateTime _nextPurge = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await PaceAsync(stoppingToken);
                busy = await RoundAsync(stoppingToken);
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
        try
        {
            // What finished while stopping is recorded now; an outcome lost anyway leaves its delivery to be sent again.
            await RecordAndClaimAsync(0, publish: false, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The webhook worker could not record its last outcomes; those deliveries are sent again when their lease runs out.");
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    /// <summary>Waits until <see cref="RoundInterval"/> has passed since the last round began.</summary>
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        var wait = RoundInterval - Stopwatch.GetElapsedTime(_lastRound);
        if (_lastRound != 0 && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        _lastRound = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// One round: publishes new events, records the finished attempts and claims what the capacity allows (one transaction, see
    /// <see cref="RecordAndClaimAsync"/>), then starts sending what it claimed; true when there is more work at once (a full
    /// batch of events, or a claim that filled all the room).
    /// </summary>
    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var room = Math.Max(_capacity - Volatile.Read(ref _unfinished), 0);
        var (published, claimed, targets) = await RecordAndClaimAsync(room, publish: true, cancellationToken);
        Interlocked.Add(ref _unfinished, claimed.Count);
        foreach (var delivery in claimed)
        {
            // Started here rather than queued to the thread pool: an attempt runs on this thread until it waits for a slot or
            // for the receiver's answer (a few microseconds of signing and writing), which saves a thread hop per delivery.
            var attempt = AttemptAsync(delivery, targets.GetValueOrDefault(delivery.WebhookId), cancellationToken);
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

                    // A round once half the capacity is free (or at once when nothing else is in flight); while writes keep
                    // coming, their own wakes start the rounds.
                    if (Interlocked.Decrement(ref _unfinished) <= _capacity / 2)
                    {
                        signal.Wake();
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return published == DispatchBatch || (room > 0 && claimed.Count == room);
    }

    /// <summary>A delivery this node holds under a lease; <see cref="Payload"/> is null when its event is no longer retained.</summary>
    private sealed record Claimed(Guid Id, Guid LeaseId, DateTime LeaseEnd, Guid WebhookId, Guid MessageId, string EventType, string? Payload, DateTime CreatedAt, int Attempts);

    /// <summary>Where a claimed delivery goes: the webhook's URL, whether it is enabled, and its signing secrets (unprotected once per round).</summary>
    private sealed record Target(Uri Url, bool Enabled, IReadOnlyList<string> Secrets);

    private sealed record Finished(Claimed Delivery, DeliveryOutcome Outcome, bool GiveUp);

    /// <summary>
    /// One write of the worker: publishes up to one batch of new events (<see cref="PublishAsync"/>), records the outcome of every
    /// attempt finished since the last round (each only under its lease: one that was lost meanwhile belongs to whoever holds it
    /// now) and claims up to <paramref name="count"/> due deliveries for this node: their next attempt moves to the end of a lease,
    /// so no other node takes them while this one sends, and a node that dies leaves them due again once the lease runs out. On
    /// SQLite the write waits its turn at the write gate and gives it back before the log is flushed (an outcome then counts once
    /// it is on disk, as a request's write does).
    /// </summary>
    private async Task<(int Published, List<Claimed> Claimed, Dictionary<Guid, Target> Targets)> RecordAndClaimAsync(
        int count, bool publish, CancellationToken cancellationToken)
    {
        var outcomes = new List<Finished>();
        while (_finished.TryDequeue(out var finished))
        {
            outcomes.Add(finished);
        }

        if (outcomes.Count == 0 && count == 0 && !publish)
        {
            return (0, [], []);
        }

        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = clock.UtcNow;
            // Read before the write, so the write (on SQLite: the turn at the write gate every request's save waits for) only
            // writes: the new events with the deliveries they make and their bodies, and whether any delivery is due at all.
            var batch = publish ? await ReadNewEventsAsync(db, cancellationToken) : null;
            var due = count > 0 && await db.Database.SqlQueryRaw<bool>(AnyDueSql, now).SingleAsync(cancellationToken);
            Dictionary<Guid, Webhook> webhooks = [];
            var (published, claimed) = await WriteAsync(db, now, outcomes, due ? count : 0, count, batch, webhooks, cancellationToken);
            if ((outcomes.Count > 0 || published > 0) && db.Database.IsSqlite())
            {
                await SqliteWalSync.For(db.Database.GetDbConnection().DataSource).FlushAsync();
            }

            if (published > 0)
            {
                logger.LogDebug("Published {Events} events.", published);
            }

            if (claimed.Count == 0)
            {
                return (published, claimed, []);
            }

            return (published, await WithPayloadsAsync(db, claimed, cancellationToken), await TargetsOfAsync(db, claimed, webhooks, cancellationToken));
        }
        catch
        {
            // Not recorded: kept for the next round (their leases keep them from being sent again meanwhile).
            foreach (var finished in outcomes)
            {
                _finished.Enqueue(finished);
            }

            throw;
        }
    }

    /// <summary>
    /// The round's transaction (<see cref="RecordAndClaimAsync"/>): claims up to <paramref name="claim"/> due deliveries and
    /// leases up to <paramref name="room"/> deliveries in all; the webhooks of what it publishes are added to <paramref name="webhooks"/>.
    /// </summary>
    private async Task<(int Published, List<Claimed> Claimed)> WriteAsync(
        AppDbContext db, DateTime now, List<Finished> outcomes, int claim, int room, NewEvents? batch, Dictionary<Guid, Webhook> webhooks,
        CancellationToken cancellationToken)
    {
        using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RecordAsync(db, outcomes, now, cancellationToken);
        // Deliveries already due are claimed first (oldest first), then what room is left goes to this round's new deliveries,
        // which are written claimed (see PublishAsync): a new delivery sent by the node that publishes it is written twice
        // (created claimed, then its outcome) instead of three times.
        var lease = new Lease(Ids.NewVersion7(), now + options.Lease);
        List<Claimed> claimed = [];
        if (claim > 0)
        {
            // One statement claims and returns what it claimed; on PostgreSQL rows another node's claim holds are skipped, not waited for.
            var rows = await db.Database.SqlQueryRaw<ClaimedRow>(db.Database.IsNpgsql() ? ClaimSkippingLockedSql : ClaimSql, lease.End, lease.Id, now, claim).ToListAsync(cancellationToken);
            claimed = [.. rows.Select(d => new Claimed(
                d.Id, lease.Id, lease.End, d.WebhookId, d.MessageId, d.EventType, d.Payload, DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc), d.Attempts))];
        }

        var published = batch is null ? 0 : await PublishAsync(db, now, lease, room - claimed.Count, batch, claimed, webhooks, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (published, claimed);
    }

    /// <summary>The lease of one round's claims: its id and when it runs out.</summary>
    private readonly record struct Lease(Guid Id, DateTime End);

    /// <summary>
    /// Records the outcomes of a round, each only under the lease it was attempted with, whatever they came to (delivered, retried
    /// later or failed for good): one statement whose one parameter carries every outcome as JSON (<see cref="WorkerRows"/>).
    /// </summary>
    private async Task RecordAsync(AppDbContext db, List<Finished> outcomes, DateTime now, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        var rows = new WorkerRows(db.Database.IsNpgsql());
        foreach (var finished in outcomes)
        {
            var record = Recorded(finished, now);
            rows.Row()
                .Id("i", finished.Delivery.Id).Id("l", finished.Delivery.LeaseId).Text("s", record.Status.ToString()).Time("n", record.Next)
                .Number("r", record.ResponseStatus).Number("d", record.DurationMs).Text("e", record.Error).Time("a", record.DeliveredAt);
        }

        await db.Database.ExecuteSqlRawAsync(rows.Postgres ? RecordPostgresSql : RecordSqliteSql, [rows.ToJson()], cancellationToken);
    }

    /// <summary>The outcomes statement of <see cref="RecordAsync"/> on SQLite: {0} is a JSON array of outcomes.</summary>
    private const string RecordSqliteSql = """
        UPDATE "WebhookDeliveries" SET "Status" = v.value ->> 's', "NextAttemptAt" = v.value ->> 'n', "LeaseId" = NULL,
            "LastResponseStatus" = v.value ->> 'r', "LastDurationMs" = v.value ->> 'd', "LastError" = v.value ->> 'e', "DeliveredAt" = v.value ->> 'a'
        FROM json_each({0}) AS v
        WHERE "WebhookDeliveries"."Id" = v.value ->> 'i' AND "WebhookDeliveries"."LeaseId" = v.value ->> 'l'
        """;

    /// <summary>The outcomes statement of <see cref="RecordAsync"/> on PostgreSQL.</summary>
    private const string RecordPostgresSql = """
        UPDATE "WebhookDeliveries" SET "Status" = v.s, "NextAttemptAt" = v.n, "LeaseId" = NULL,
            "LastResponseStatus" = v.r, "LastDurationMs" = v.d, "LastError" = v.e, "DeliveredAt" = v.a
        FROM jsonb_to_recordset({0}::jsonb) AS v(i uuid, l uuid, s text, n timestamptz, r integer, d integer, e text, a timestamptz)
        WHERE "WebhookDeliveries"."Id" = v.i AND "WebhookDeliveries"."LeaseId" = v.l
        """;

    /// <summary>Whether any delivery is due at {0}: read before the round's write, which claims only when this says so.</summary>
    private const string AnyDueSql = """
        SELECT EXISTS (SELECT 1 FROM "WebhookDeliveries" WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {0}) AS "Value"
        """;

    /// <summary>Claims due deliveries ({3} at most) under a lease ({1}, until {0}) at {2}, and returns them.</summary>
    private const string ClaimSql = """
        UPDATE "WebhookDeliveries" SET "NextAttemptAt" = {0}, "LeaseId" = {1}, "Attempts" = "Attempts" + 1, "LastAttemptAt" = {2}
        WHERE "Id" IN (
            SELECT "Id" FROM "WebhookDeliveries"
            WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {2}
            ORDER BY "NextAttemptAt" LIMIT {3})
        RETURNING "Id", "WebhookId", "MessageId", "EventType", "Payload", "CreatedAt", "Attempts"
        """;

    /// <summary>The claim on PostgreSQL: rows another node's claim holds are skipped, not waited for (nor claimed twice).</summary>
    private static readonly string ClaimSkippingLockedSql = ClaimSql.Replace("LIMIT {3})", "LIMIT {3} FOR UPDATE SKIP LOCKED)", StringComparison.Ordinal);

    /// <summary>A row the claim returns.</summary>
    private sealed class ClaimedRow
    {
        public Guid Id { get; init; }

        public Guid WebhookId { get; init; }

        public Guid MessageId { get; init; }

        public string EventType { get; init; } = string.Empty;

        public string? Payload { get; init; }

        public DateTime CreatedAt { get; init; }

        public int Attempts { get; init; }
    }

    /// <summary>An event read to be published, and the deliveries it makes.</summary>
    private sealed record NewEvent(Guid Id, Guid AccountId, string Type, IReadOnlyList<NewDelivery> Deliveries);

    /// <summary>A delivery an event makes: its id (made when the event was read), the webhook it goes to, and the event's body.</summary>
    private sealed record NewDelivery(Guid Id, Guid WebhookId, string Payload);

    /// <summary>One batch of new events, oldest first, with the enabled webhooks of their accounts.</summary>
    private sealed record NewEvents(IReadOnlyList<NewEvent> Events, IReadOnlyList<Webhook> Webhooks);

    /// <summary>
    /// Reads up to one batch of events that have no feed position yet, oldest first, and the deliveries each makes: one per
    /// enabled, subscribed webhook of its account created before the event, with the body composed once per event. Read before
    /// the round's write (<see cref="PublishAsync"/> writes what is still unpublished when it runs); null when there is none.
    /// </summary>
    private static async Task<NewEvents?> ReadNewEventsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().Where(e => e.Sequence == null).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(DispatchBatch)
            .Select(e => new { e.Id, e.AccountId, e.Type, e.OccurredAt, e.Data })
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return null;
        }

        var accountIds = events.Select(e => e.AccountId).Distinct().ToList();
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => accountIds.Contains(w.AccountId) && w.Enabled).ToListAsync(cancellationToken);
        var read = new List<NewEvent>(events.Count);
        foreach (var accountEvent in events)
        {
            string? payload = null;
            List<NewDelivery> deliveries = [];
            foreach (var webhook in webhooks)
            {
                if (webhook.AccountId == accountEvent.AccountId && webhook.CreatedAt <= accountEvent.OccurredAt && webhook.Subscribes(accountEvent.Type))
                {
                    payload ??= WebhookPayload.Compose(accountEvent.Type, accountEvent.OccurredAt, accountEvent.Data);
                    deliveries.Add(new NewDelivery(Ids.NewVersion7(), webhook.Id, payload));
                }
            }

            read.Add(new NewEvent(accountEvent.Id, accountEvent.AccountId, accountEvent.Type, deliveries));
        }

        return new NewEvents(read, webhooks);
    }

    /// <summary>
    /// Gives the events of {0} (a JSON array of event ids) that have none yet their feed positions, after the
    /// highest one, in the order they occurred, and returns the ids it positioned. Events another node published since they were
    /// read keep theirs, and no position is left unused.
    /// </summary>
    private const string PositionsSql = """
        UPDATE "Events" SET "Sequence" = v."Position"
        FROM (
            SELECT "Id", (SELECT COALESCE(MAX("Sequence"), 0) FROM "Events") + ROW_NUMBER() OVER (ORDER BY "OccurredAt", "Id") AS "Position"
            FROM "Events" WHERE "Sequence" IS NULL AND "Id" IN (SELECT value FROM json_each({0}))) AS v
        WHERE "Events"."Id" = v."Id" AND "Events"."Sequence" IS NULL
        RETURNING "Events"."Id" AS "Value"
        """;

    /// <summary><see cref="PositionsSql"/> on PostgreSQL.</summary>
    private static readonly string PositionsPostgresSql = PositionsSql.Replace(
        "SELECT value FROM json_each({0})", "SELECT jsonb_array_elements_text({0}::jsonb)::uuid", StringComparison.Ordinal);

    /// <summary>
    /// Publishes a batch read by <see cref="ReadNewEventsAsync"/>, inside the round's transaction: gives its events their feed
    /// positions in commit order (one statement, <see cref="PositionsSql"/>) and writes the deliveries of the events it positioned
    /// (one statement). On PostgreSQL one node publishes at a time (a transaction
    /// advisory lock; a node that finds it taken leaves this round's publishing to the node holding it); on SQLite the
    /// transaction holds the write lock. A position is only ever given to an event that has none, so no event is published
    /// twice, and an event another node published since it was read makes no deliveries here. The first <paramref name="room"/>
    /// deliveries are written already claimed under <paramref name="lease"/> (their first attempt counted, due again when the
    /// lease runs out, exactly as the claim leaves a delivery) and added to <paramref name="claimed"/>: this node sends them without
    /// a claim statement rewriting the rows it has just written; the rest are written due now, for the next claims of any node.
    /// The batch's webhooks are added to <paramref name="read"/>, so the round does not read them again to send.
    /// </summary>
    private static async Task<int> PublishAsync(
        AppDbContext db, DateTime now, Lease lease, int room, NewEvents batch, List<Claimed> claimed, Dictionary<Guid, Webhook> read,
        CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        if (postgres
            && !await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({DispatchLockKey}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            return 0;
        }

        var ids = new WorkerRows(postgres);
        foreach (var accountEvent in batch.Events)
        {
            ids.Element(accountEvent.Id);
        }

        var positioned = (await db.Database.SqlQueryRaw<Guid>(postgres ? PositionsPostgresSql : PositionsSql, ids.ToJson()).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var webhook in batch.Webhooks)
        {
            read[webhook.Id] = webhook;
        }

        var rows = new WorkerRows(postgres);
        var leased = 0;
        foreach (var accountEvent in batch.Events.Where(e => positioned.Contains(e.Id)))
        {
            foreach (var delivery in accountEvent.Deliveries)
            {
                var claim = leased < room;
                rows.Row()
                    .Id("i", delivery.Id).Id("w", delivery.WebhookId).Id("a", accountEvent.AccountId).Id("m", accountEvent.Id).Text("t", accountEvent.Type)
                    .Text("s", nameof(DeliveryStatus.Pending)).Time("c", now).Number("k", claim ? 1 : 0).Time("n", claim ? lease.End : now)
                    .Id("l", claim ? lease.Id : null).Time("at", claim ? now : null);
                if (claim)
                {
                    leased++;
                    claimed.Add(new Claimed(delivery.Id, lease.Id, lease.End, delivery.WebhookId, accountEvent.Id, accountEvent.Type, delivery.Payload, now, Attempts: 1));
                }
            }
        }

        if (rows.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync(postgres ? InsertPostgresSql : InsertSqliteSql, [rows.ToJson()], cancellationToken);
        }

        return positioned.Count;
    }

    /// <summary>The deliveries statement of <see cref="PublishAsync"/> on SQLite: {0} is a JSON array of new deliveries.</summary>
    private const string InsertSqliteSql = """
        INSERT INTO "WebhookDeliveries" ("Id", "WebhookId", "AccountId", "MessageId", "EventType", "Status", "CreatedAt", "Attempts", "NextAttemptAt", "LeaseId", "LastAttemptAt")
        SELECT v.value ->> 'i', v.value ->> 'w', v.value ->> 'a', v.value ->> 'm', v.value ->> 't', v.value ->> 's', v.value ->> 'c',
            v.value ->> 'k', v.value ->> 'n', v.value ->> 'l', v.value ->> 'at'
        FROM json_each({0}) AS v
        """;

    /// <summary>The deliveries statement of <see cref="PublishAsync"/> on PostgreSQL.</summary>
    private const string InsertPostgresSql = """
        INSERT INTO "WebhookDeliveries" ("Id", "WebhookId", "AccountId", "MessageId", "EventType", "Status", "CreatedAt", "Attempts", "NextAttemptAt", "LeaseId", "LastAttemptAt")
        SELECT v.i, v.w, v.a, v.m, v.t, v.s, v.c, v.k, v.n, v.l, v.at
        FROM jsonb_to_recordset({0}::jsonb) AS v(i uuid, w uuid, a uuid, m uuid, t text, s text, c timestamptz, k integer, n timestamptz, l uuid, at timestamptz)
        """;

    /// <summary>
    /// The claimed deliveries with their bodies: a delivery of an event keeps no copy of its body (see
    /// <see cref="WebhookDelivery.Payload"/>), so it is composed from the event, read once per round for all of them; the
    /// deliveries this round published already have it. One whose event is no longer retained keeps none, and fails for good.
    /// </summary>
    private static async Task<List<Claimed>> WithPayloadsAsync(AppDbContext db, List<Claimed> claimed, CancellationToken cancellationToken)
    {
        var ids = claimed.Where(d => d.Payload is null).Select(d => d.MessageId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return claimed;
        }

        var events = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Type, e.OccurredAt, e.Data })
            .ToDictionaryAsync(e => e.Id, e => WebhookPayload.Compose(e.Type, e.OccurredAt, e.Data), cancellationToken);
        return [.. claimed.Select(d => d.Payload is null && events.TryGetValue(d.MessageId, out var payload) ? d with { Payload = payload } : d)];
    }

    /// <summary>
    /// The webhooks the claimed deliveries go to: those the round's publishing read in its transaction (<paramref name="read"/>),
    /// the others read now; each secret unprotected at most once (see <see cref="_secrets"/>). A deleted webhook is missing (its
    /// deliveries went with it).
    /// </summary>
    private async Task<Dictionary<Guid, Target>> TargetsOfAsync(
        AppDbContext db, List<Claimed> claimed, Dictionary<Guid, Webhook> read, CancellationToken cancellationToken)
    {
        var missing = claimed.Select(d => d.WebhookId).Where(id => !read.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var webhook in await db.Webhooks.AsNoTracking().Where(w => missing.Contains(w.Id)).ToListAsync(cancellationToken))
            {
                read[webhook.Id] = webhook;
            }
        }

        var now = clock.UtcNow;
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var targets = new Dictionary<Guid, Target>();
        foreach (var id in claimed.Select(d => d.WebhookId).Distinct())
        {
            if (read.TryGetValue(id, out var webhook))
            {
                targets[id] = new Target(new Uri(webhook.Url), webhook.Enabled, [.. webhook.SigningSecrets(now).Select(Unprotected)]);
            }
        }

        _secrets = secrets;
        return targets;

        string Unprotected(string protectedSecret)
        {
            if (!secrets.TryGetValue(protectedSecret, out var secret))
            {
                secret = _secrets.TryGetValue(protectedSecret, out var known) ? known : protector.Unprotect(protectedSecret);
                secrets[protectedSecret] = secret;
            }

            return secret;
        }
    }

    private async Task AttemptAsync(Claimed delivery, Target? target, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return; // deleted meanwhile, and its deliveries with it
        }

        if (!target.Enabled && delivery.EventType != EventTypes.Ping)
        {
            _finished.Enqueue(new Finished(delivery, new DeliveryOutcome(false, null, 0, "The webhook is disabled."), GiveUp: true));
            return;
        }

        if (delivery.Payload is not { } payload)
        {
            _finished.Enqueue(new Finished(delivery, new DeliveryOutcome(false, null, 0, "The event is no longer retained."), GiveUp: true));
            return;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return; // shutting down before it was sent: the lease runs out and it is sent then, here or on another node
        }

        try
        {
            // The attempt ends before the lease does, so it never overlaps the next attempt of whichever node claims the delivery
            // after the lease. The capacity leaves every attempt its whole time-out; only a node too slow to start it in time
            // cuts it short, or (once the lease is over) leaves the delivery to the next claim.
            var leaseLeft = delivery.LeaseEnd - clock.UtcNow;
            if (leaseLeft <= TimeSpan.Zero)
            {
                return;
            }

            var outcome = await sender.SendAsync(target.Url, delivery.MessageId.ToString(), payload, target.Secrets, cancellationToken, leaseLeft);
            _finished.Enqueue(new Finished(delivery, outcome, GiveUp: false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the delivery is tried again, here or on another node.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Webhook delivery {DeliveryId} could not be completed; it is retried when its lease runs out.", delivery.Id);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The values an attempt's outcome leaves in its delivery row.</summary>
    private sealed record Record(DeliveryStatus Status, DateTime? Next, int? ResponseStatus, int DurationMs, string? Error, DateTime? DeliveredAt);

    private Record Recorded(Finished finished, DateTime now)
    {
        var (status, next) = Next(finished.Delivery, finished.Outcome, finished.GiveUp, now);
        var outcome = finished.Outcome;
        return new Record(status, next, outcome.ResponseStatus, outcome.DurationMs, outcome.Error, outcome.Delivered ? now : null);
    }

    /// <summary>What an attempt's outcome makes of its delivery: delivered, failed for good, or pending until the next retry.</summary>
    private (DeliveryStatus Status, DateTime? Next) Next(Claimed delivery, DeliveryOutcome outcome, bool giveUp, DateTime now)
    {
        var retryUntil = delivery.CreatedAt + options.RetryWindow;
        if (outcome.Delivered)
        {
            return (DeliveryStatus.Delivered, null);
        }

        if (giveUp || now >= retryUntil)
        {
            return (DeliveryStatus.Failed, null);
        }

        var retryAt = now + BackOff(delivery.Attempts);
        return (DeliveryStatus.Pending, retryAt < retryUntil ? retryAt : retryUntil);
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
}
