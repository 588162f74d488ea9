using System.Collections.Concurrent;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.MpnVerification;

/// <summary>The two budgets of every account (configuration <c>MpnVerification:Budgets:*</c>), over fixed windows aligned to the clock.</summary>
public sealed class VerificationBudgetOptions
{
    public const int DefaultHitsPerWindow = 6000;
    public const int DefaultMissesPerWindow = 100;
    public const int DefaultWindowSeconds = 60;
    public const int DefaultFlushMilliseconds = 100;

    /// <summary>Verifications of IDs that exist, per window.</summary>
    public int HitsPerWindow { get; init; } = DefaultHitsPerWindow;

    /// <summary>Verifications of IDs that do not exist or are malformed, per window.</summary>
    public int MissesPerWindow { get; init; } = DefaultMissesPerWindow;

    public int WindowSeconds { get; init; } = DefaultWindowSeconds;

    /// <summary>How often this node adds its counts to the shared ones and learns the other nodes' (shared stores only).</summary>
    public int FlushMilliseconds { get; init; } = DefaultFlushMilliseconds;
}

/// <summary>What a response reports in <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (seconds).</summary>
public readonly record struct BudgetFigures(int Limit, int Remaining, int ResetSeconds);

/// <summary>One account's counts in one window, as a node sees them: the shared count it last learned plus what it counted since.</summary>
public sealed class BudgetWindow(string key, long window)
{
    public string Key { get; } = key;

    /// <summary>The window's number: Unix seconds / window length.</summary>
    public long Window { get; } = window;

    internal int KnownHits;
    internal int KnownMisses;
    internal int PendingHits;
    internal int PendingMisses;
    internal int FlushingHits;
    internal int FlushingMisses;
    internal int Queued;

    internal int Hits => Volatile.Read(ref KnownHits) + Volatile.Read(ref FlushingHits) + Volatile.Read(ref PendingHits);

    internal int Misses => Volatile.Read(ref KnownMisses) + Volatile.Read(ref FlushingMisses) + Volatile.Read(ref PendingMisses);
}

/// <summary>Counts this node took since its last flush, to be added to the shared counts.</summary>
public readonly record struct BudgetIncrement(string Key, long Window, int Hits, int Misses);

/// <summary>The shared counts of one account and window after an increment was added to them.</summary>
public readonly record struct BudgetTotals(string Key, long Window, int Hits, int Misses);

/// <summary>
/// Where the nodes share their counts (PostgreSQL: one upsert per flush for every account counted since the last one). On a
/// single node (SQLite) there is none and the counts stay in memory.
/// </summary>
public interface IVerificationBudgetStore
{
    Task<IReadOnlyList<BudgetTotals>> AddAsync(IReadOnlyList<BudgetIncrement> increments, CancellationToken cancellationToken);

    Task PruneAsync(long beforeWindow, CancellationToken cancellationToken);
}

/// <summary>
/// Per-account verification budgets: verifications of IDs that exist (hits) and of IDs that do not or are malformed (misses),
/// shared by all of an account's keys and members. A request is admitted only while neither budget is exhausted, decided
/// before the lookup, so a refusal never depends on whether the ID exists; it is then charged to the budget its answer
/// belongs to. Counting is in memory; a shared store, when there is one, learns this node's counts and tells it the other
/// nodes' in batches (<see cref="DrainIncrements"/> / <see cref="Learn"/>), never with a round trip per request.
/// </summary>
public sealed class VerificationBudgets(VerificationBudgetOptions options)
{
    private readonly ConcurrentDictionary<string, BudgetWindow> _windows = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<BudgetWindow> _dirty = new();

    public VerificationBudgetOptions Options => options;

    public static Error Exhausted(TimeSpan retryAfter) =>
        new(ErrorKind.TooManyRequests, "rate_limited", "This account's MPN ID verification budget is used up; retry after the time in Retry-After.")
        {
            RetryAfter = retryAfter,
        };

    /// <summary>The budget key of an account (every key and member of it share it).</summary>
    public static string AccountKey(Guid accountId) => "account:" + accountId.ToString("N");

    /// <summary>The budget key of a bearer-token caller until callers are resolved to their account: their identity.</summary>
    public static string CallerKey(string identity) => "caller:" + identity;

    /// <summary>The key's counts in the current window.</summary>
    public BudgetWindow Current(string key)
    {
        var window = CurrentWindow(out _);
        if (_windows.TryGetValue(key, out var current) && current.Window == window)
        {
            return current;
        }

        return _windows.AddOrUpdate(key, static (k, w) => new BudgetWindow(k, w), static (k, existing, w) => existing.Window >= w ? existing : new BudgetWindow(k, w), window);
    }

    /// <summary>Whether neither budget is used up.</summary>
    public bool HasRoom(BudgetWindow counts) => counts.Hits < options.HitsPerWindow && counts.Misses < options.MissesPerWindow;

    /// <summary>
    /// Charges <paramref name="hits"/> and <paramref name="misses"/> if both fit; otherwise charges nothing but the rest of the
    /// budget that would overflow (so a refused batch uses that budget up: refusals are no free oracle) and returns false.
    /// </summary>
    public bool TryCharge(BudgetWindow counts, int hits, int misses)
    {
        var hitRoom = options.HitsPerWindow - counts.Hits;
        var missRoom = options.MissesPerWindow - counts.Misses;
        if (hits <= Math.Max(hitRoom, 0) && misses <= Math.Max(missRoom, 0))
        {
            Charge(counts, hits, misses);
            return true;
        }

        Charge(counts, hits > hitRoom ? Math.Max(hitRoom, 0) : 0, misses > missRoom ? Math.Max(missRoom, 0) : 0);
        return false;
    }

    /// <summary>Charges one verification whatever is left (a single request admitted by <see cref="HasRoom"/>).</summary>
    public void Charge(BudgetWindow counts, int hits, int misses)
    {
        if (hits > 0)
        {
            Interlocked.Add(ref counts.PendingHits, hits);
        }

        if (misses > 0)
        {
            Interlocked.Add(ref counts.PendingMisses, misses);
        }

        if (Interlocked.Exchange(ref counts.Queued, 1) == 0)
        {
            _dirty.Enqueue(counts);
        }
    }

    /// <summary>The figures of the hit budget, the miss budget, or (both) whichever has the smaller share left.</summary>
    public BudgetFigures Figures(BudgetWindow counts, bool hits, bool misses)
    {
        CurrentWindow(out var reset);
        var hitFigures = new BudgetFigures(options.HitsPerWindow, Math.Max(0, options.HitsPerWindow - counts.Hits), reset);
        var missFigures = new BudgetFigures(options.MissesPerWindow, Math.Max(0, options.MissesPerWindow - counts.Misses), reset);
        if (hits && misses)
        {
            return (long)hitFigures.Remaining * missFigures.Limit <= (long)missFigures.Remaining * hitFigures.Limit ? hitFigures : missFigures;
        }

        return misses ? missFigures : hitFigures;
    }

    /// <summary>The figures of the budget that refuses (the used-up one; hits first when both are).</summary>
    public BudgetFigures RefusalFigures(BudgetWindow counts) =>
        counts.Hits >= options.HitsPerWindow ? Figures(counts, hits: true, misses: false) : Figures(counts, hits: false, misses: true);

    public TimeSpan RetryAfter()
    {
        CurrentWindow(out var reset);
        return TimeSpan.FromSeconds(reset);
    }

    /// <summary>Takes the counts charged since the last call (they stay in the estimate as "in flight" until <see cref="Learn"/>).</summary>
    public List<(BudgetWindow Counts, BudgetIncrement Increment)> DrainIncrements()
    {
        var drained = new List<(BudgetWindow, BudgetIncrement)>();
        while (_dirty.TryDequeue(out var counts))
        {
            Volatile.Write(ref counts.Queued, 0);
            var hits = Interlocked.Exchange(ref counts.PendingHits, 0);
            var misses = Interlocked.Exchange(ref counts.PendingMisses, 0);
            Interlocked.Add(ref counts.FlushingHits, hits);
            Interlocked.Add(ref counts.FlushingMisses, misses);
            drained.Add((counts, new BudgetIncrement(counts.Key, counts.Window, hits, misses)));
        }

        return drained;
    }

    /// <summary>Applies what the shared store answered for drained counts: the totals over all nodes replace what was in flight.</summary>
    public static void Learn(BudgetWindow counts, BudgetIncrement sent, BudgetTotals totals)
    {
        Volatile.Write(ref counts.KnownHits, totals.Hits);
        Volatile.Write(ref counts.KnownMisses, totals.Misses);
        Interlocked.Add(ref counts.FlushingHits, -sent.Hits);
        Interlocked.Add(ref counts.FlushingMisses, -sent.Misses);
    }

    /// <summary>Without a shared store: drained counts become this node's totals.</summary>
    public static void Settle(BudgetWindow counts, BudgetIncrement sent)
    {
        Interlocked.Add(ref counts.KnownHits, sent.Hits);
        Interlocked.Add(ref counts.KnownMisses, sent.Misses);
        Interlocked.Add(ref counts.FlushingHits, -sent.Hits);
        Interlocked.Add(ref counts.FlushingMisses, -sent.Misses);
    }

    /// <summary>Puts counts whose flush failed back as pending, to be sent with the next flush.</summary>
    public void Requeue(BudgetWindow counts, BudgetIncrement sent)
    {
        Interlocked.Add(ref counts.FlushingHits, -sent.Hits);
        Interlocked.Add(ref counts.FlushingMisses, -sent.Misses);
        Charge(counts, sent.Hits, sent.Misses);
    }

    /// <summary>Forgets windows that have ended; returns the current window's number.</summary>
    public long ForgetEndedWindows()
    {
        var window = CurrentWindow(out _);
        foreach (var (key, counts) in _windows)
        {
            if (counts.Window < window)
            {
                _windows.TryRemove(new KeyValuePair<string, BudgetWindow>(key, counts));
            }
        }

        return window;
    }

    private long CurrentWindow(out int secondsToReset)
    {
        var seconds = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond - DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond;
        var window = seconds / options.WindowSeconds;
        secondsToReset = (int)((window + 1) * options.WindowSeconds - seconds);
        return window;
    }
}
