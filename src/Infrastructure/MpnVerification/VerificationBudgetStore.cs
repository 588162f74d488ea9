using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>One account's verification counts in one window, summed over every node (PostgreSQL only; SQLite counts in memory).</summary>
public sealed class VerificationBudgetRow
{
    public const int KeyLength = 300;

    public string Key { get; private set; } = string.Empty;

    public long Window { get; private set; }

    public int Hits { get; private set; }

    public int Misses { get; private set; }
}

public sealed class VerificationBudgetRowConfiguration : IEntityTypeConfiguration<VerificationBudgetRow>
{
    public void Configure(EntityTypeBuilder<VerificationBudgetRow> builder)
    {
        builder.ToTable("VerificationBudgets");
        builder.HasKey(r => new { r.Key, r.Window });
        builder.Property(r => r.Key).HasMaxLength(VerificationBudgetRow.KeyLength);
        builder.HasIndex(r => r.Window);
    }
}

/// <summary>
/// PostgreSQL: a flush is ONE statement for every account counted since the last flush, adding this node's counts and
/// returning the totals over all nodes (<c>INSERT ... ON CONFLICT DO UPDATE ... RETURNING</c> over unnested arrays).
/// </summary>
public sealed class PostgresVerificationBudgetStore(NpgsqlDataSource dataSource) : IVerificationBudgetStore
{
    private const string Upsert =
        """
        INSERT INTO "VerificationBudgets" AS b ("Key", "Window", "Hits", "Misses")
        SELECT * FROM unnest(@keys, @windows, @hits, @misses)
        ON CONFLICT ("Key", "Window") DO UPDATE SET "Hits" = b."Hits" + excluded."Hits", "Misses" = b."Misses" + excluded."Misses"
        RETURNING b."Key", b."Window", b."Hits", b."Misses"
        """;

    public async Task<IReadOnlyList<BudgetTotals>> AddAsync(IReadOnlyList<BudgetIncrement> increments, CancellationToken cancellationToken)
    {
        // One row per (key, window) in a statement: ON CONFLICT cannot touch the same row twice.
        var merged = increments.GroupBy(i => (i.Key, i.Window)).Select(g => new BudgetIncrement(g.Key.Key, g.Key.Window, g.Sum(i => i.Hits), g.Sum(i => i.Misses))).ToList();
        await using var command = dataSource.CreateCommand(Upsert);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = merged.Select(i => i.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("windows", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = merged.Select(i => i.Window).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("hits", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = merged.Select(i => i.Hits).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("misses", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = merged.Select(i => i.Misses).ToArray() });
        var totals = new List<BudgetTotals>(merged.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(new BudgetTotals(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return totals;
    }

    public async Task PruneAsync(long beforeWindow, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""DELETE FROM "VerificationBudgets" WHERE "Window" < @before""");
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = beforeWindow });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Every <c>MpnVerification:Budgets:FlushMilliseconds</c> (default 100): sends this node's counts to the shared store and
/// takes back the totals over all nodes. Without a store (one node, SQLite) the counts simply become this node's totals.
/// </summary>
public sealed partial class VerificationBudgetFlusher(VerificationBudgets budgets, ILogger<VerificationBudgetFlusher> logger, IVerificationBudgetStore? store = null)
    : BackgroundService
{
    private const int KeepWindows = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(budgets.Options.FlushMilliseconds));
        var lastPrune = long.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
                var window = budgets.ForgetEndedWindows();
                if (store is not null && window != lastPrune)
                {
                    lastPrune = window;
                    await PruneAsync(window - KeepWindows, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>One flush (the tests call it to see the other nodes' counts without waiting).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var drained = budgets.DrainIncrements();
        if (drained.Count == 0)
        {
            return;
        }

        if (store is null)
        {
            foreach (var (counts, sent) in drained)
            {
                VerificationBudgets.Settle(counts, sent);
            }

            return;
        }

        try
        {
            var totals = (await store.AddAsync([.. drained.Select(d => d.Increment)], cancellationToken)).ToDictionary(t => (t.Key, t.Window));
            foreach (var (counts, sent) in drained)
            {
                if (totals.TryGetValue((sent.Key, sent.Window), out var total))
                {
                    VerificationBudgets.Learn(counts, sent, total);
                }
                else
                {
                    budgets.Requeue(counts, sent);
                }
            }
        }
#pragma warning disable CA1031 // an unreachable database must not lose the counts or stop the service: they go with the next flush
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            foreach (var (counts, sent) in drained)
            {
                budgets.Requeue(counts, sent);
            }

            LogFlushFailed(logger, ex, drained.Count);
        }
    }

    private async Task PruneAsync(long beforeWindow, CancellationToken cancellationToken)
    {
        try
        {
            await store!.PruneAsync(beforeWindow, cancellationToken);
        }
#pragma warning disable CA1031 // pruning is housekeeping; the next window tries again
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFlushFailed(logger, ex, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not share the MPN verification budget counts of {Count} accounts; retrying with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
