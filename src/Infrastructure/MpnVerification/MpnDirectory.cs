using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Telemetry;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.Caching;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>
/// How many MPN IDs the verification cache may hold (<c>MpnVerification:CacheCapacity</c>; 0 turns caching off), up to how many
/// registered MPN IDs the directory keeps a complete copy of (<c>MpnVerification:SnapshotCapacity</c>; 0 turns it off) and how
/// long a cached answer, the copy, and the loaded API key set are served before they are read again (<c>Caching:MaxAgeSeconds</c>).
/// </summary>
public sealed class MpnDirectoryOptions
{
    public const int DefaultCapacity = 250_000;
    public const int DefaultSnapshotCapacity = 4_000_000;
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(30);

    public int CacheCapacity { get; set; } = DefaultCapacity;

    public int SnapshotCapacity { get; set; } = DefaultSnapshotCapacity;

    public TimeSpan MaxAge { get; set; } = DefaultMaxAge;
}

/// <summary>
/// The MPN ID -> partner name lookup behind verification, in two layers (ADR 0005, amendment of 2026-12-02).
/// <list type="number">
/// <item>A complete copy of the directory (<see cref="MpnSnapshot"/>), read in one pass once the directory is in demand and
/// again before it is <c>MaxAge</c> old, while it stays in demand (renewed instead when the source can tell that no change to the
/// directory was committed since: <see cref="IMpnLookupSource.IsUnchangedSinceAsync"/>, SQLite's <see cref="MpnDirectoryVersion"/>). A lookup is a hash-table probe in memory, for a known ID and an
/// unknown one alike, however many partners there are. An ID or account invalidated after the pass began is not answered from
/// the copy but from the second layer, until a pass that began after the invalidation replaces it.</item>
/// <item>A bounded cache from MPN ID to what verifying it answers, filled by one indexed query per miss (a pooled connection,
/// a prepared statement): for IDs the copy cannot answer, and for directories larger than <c>SnapshotCapacity</c>.</item>
/// </list>
/// A new or deleted location invalidates its one ID; a legal-name change or a closure invalidates the account's entries.
/// </summary>
public sealed class MpnDirectory(IMpnLookupSource source, MpnDirectoryOptions options, ILogger<MpnDirectory>? logger = null) : IMpnDirectory
{
    /// <summary>Lookups since the last pass before the first pass is made (then: a thirty-second of the IDs the last pass read).</summary>
    private const int FirstPassDemand = 1024;

    private readonly BoundedCache<long, MpnEntry> _byMpnId = new(options.CacheCapacity, options.MaxAge);
    private readonly long _maxAgeMilliseconds = (long)Math.Ceiling(options.MaxAge.TotalMilliseconds);
    private readonly ConcurrentDictionary<long, long> _dirtyIds = new();
    private readonly ConcurrentDictionary<Guid, long> _dirtyAccounts = new();
    private readonly SemaphoreSlim _passes = new(1, 1);
    private MpnSnapshot? _snapshot;
    private MpnSnapshot? _replaced;
    private long _refreshAt;
    private long _lead;
    private long _invalidations;
    private long _clearedAt;
    private long _lookups;
    private long _demand = FirstPassDemand;
    private long _nextPassAt;
    private int _scheduled;

    public ValueTask<string?> FindPartnerNameAsync(string mpnId, CancellationToken cancellationToken)
    {
        if (KeyOf(mpnId) is not { } key)
        {
            return LoadAsync(mpnId, null, cancellationToken);
        }

        RefreshIfDue();
        if (TryAnswerFromSnapshot(key, allowExpired: false, out var fromCopy))
        {
            PartnerAccountsMetrics.CacheLookup(PartnerAccountsMetrics.Caches.Mpn, hit: true);
            return ValueTask.FromResult(fromCopy);
        }

        var hit = _byMpnId.TryGet(key, out var entry);
        PartnerAccountsMetrics.CacheLookup(PartnerAccountsMetrics.Caches.Mpn, hit);
        return hit ? ValueTask.FromResult(entry.PartnerName) : LoadAsync(mpnId, key, cancellationToken);
    }

    public void InvalidateMpnId(string mpnId)
    {
        if (KeyOf(mpnId) is { } key)
        {
            var invalidation = Interlocked.Increment(ref _invalidations);
            if (CopyMayAnswer())
            {
                _dirtyIds[key] = invalidation;
            }

            _byMpnId.Remove(key);
        }
    }

    public void InvalidateAccounts(IReadOnlySet<Guid> accountIds)
    {
        if (accountIds.Count > 0)
        {
            var invalidation = Interlocked.Increment(ref _invalidations);
            if (CopyMayAnswer())
            {
                foreach (var accountId in accountIds)
                {
                    _dirtyAccounts[accountId] = invalidation;
                }
            }

            _byMpnId.RemoveWhere(entry => accountIds.Contains(entry.AccountId));
        }
    }

    /// <summary>Forgets everything: the copy too (a pass that began before is not used either).</summary>
    public void Clear()
    {
        Volatile.Write(ref _clearedAt, Interlocked.Increment(ref _invalidations));
        Volatile.Write(ref _snapshot, null);
        _byMpnId.Clear();
    }

    /// <summary>The copy now in use, if any (for diagnostics and tests).</summary>
    public MpnSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>
    /// Reads the whole directory now and uses the copy (unless more IDs are registered than <c>SnapshotCapacity</c>, or the
    /// caches were cleared meanwhile); after a pass already under way. Lookups call this in the background when a pass is due.
    /// </summary>
    public async Task RefreshSnapshotAsync(CancellationToken cancellationToken)
    {
        if (options.SnapshotCapacity <= 0)
        {
            return;
        }

        await _passes.WaitAsync(cancellationToken);
        try
        {
            // No change to the directory was committed since the copy in use was read (SQLite can tell): it is as fresh as now.
            var current = Volatile.Read(ref _snapshot);
            var checkedAt = Environment.TickCount64;
            if (current is not null && checkedAt - current.TakenAt < _maxAgeMilliseconds && await source.IsUnchangedSinceAsync(current, cancellationToken))
            {
                current.Renew(checkedAt);
                Volatile.Write(ref _refreshAt, checkedAt + _maxAgeMilliseconds - Volatile.Read(ref _lead));
                Interlocked.Exchange(ref _lookups, 0);
                return;
            }

            var generation = Interlocked.Read(ref _invalidations);
            var spare = Interlocked.Exchange(ref _replaced, null);
            var snapshot = await source.ReadSnapshotAsync(options.SnapshotCapacity, generation, spare is not null && spare.TryReclaim() ? spare : null, cancellationToken);
            var finished = Environment.TickCount64;
            if (snapshot is null)
            {
                // Too many IDs for a copy: the bounded cache answers alone; look again one maximum age later.
                Volatile.Write(ref _snapshot, null);
                Volatile.Write(ref _nextPassAt, finished + _maxAgeMilliseconds);
                ForgetInvalidations(generation);
                return;
            }

            if (generation < Volatile.Read(ref _clearedAt))
            {
                return;
            }

            // The next pass begins early enough to be in use before this one is too old (twice the time this one took, at least
            // a second, at most half the maximum age ahead).
            var lead = Math.Min(Math.Max(2 * (finished - snapshot.TakenAt), 1000), _maxAgeMilliseconds / 2);
            Volatile.Write(ref _lead, lead);
            Volatile.Write(ref _refreshAt, snapshot.TakenAt + _maxAgeMilliseconds - lead);
            var replaced = Interlocked.Exchange(ref _snapshot, snapshot);
            Volatile.Write(ref _demand, Math.Max(FirstPassDemand, snapshot.Count / 32));
            Interlocked.Exchange(ref _lookups, 0);
            ForgetInvalidations(generation);
            logger?.LogInformation("Read a copy of the MPN directory: {Count} MPN IDs in {Milliseconds} ms.", snapshot.Count, finished - snapshot.TakenAt);
            if (replaced is not null)
            {
                // No read of the replaced copy starts from now on; the next pass fills its arrays again once the reads under way ended.
                replaced.Retire();
                Volatile.Write(ref _replaced, replaced);
            }
        }
        finally
        {
            _passes.Release();
        }
    }

    /// <summary>
    /// An MPN ID (1 to 10 digits) as an integer: its value and its length, so "0012" and "12" stay apart. Integer keys hash and
    /// compare without touching a string, which keeps lookups fast in a large cache. Null for anything else.
    /// </summary>
    public static long? KeyOf(string mpnId) => KeyOf<char>(mpnId);

    /// <summary>The same key from the ID's UTF-8 bytes (as a database row holds them).</summary>
    public static long? KeyOf(ReadOnlySpan<byte> mpnId) => KeyOf<byte>(mpnId);

    private static long? KeyOf<TDigit>(ReadOnlySpan<TDigit> mpnId)
        where TDigit : unmanaged, IBinaryInteger<TDigit>
    {
        if (mpnId.Length is 0 or > 10)
        {
            return null;
        }

        long value = 0;
        foreach (var c in mpnId)
        {
            var digit = int.CreateTruncating(c) - '0';
            if (digit is < 0 or > 9)
            {
                return null;
            }

            value = (value * 10) + digit;
        }

        return (value << 4) | (long)mpnId.Length;
    }

    /// <summary>
    /// Starts a pass in the background when one is due: the copy is missing or near its maximum age, and enough lookups came
    /// since the last pass to make reading the whole directory cheaper than the queries it saves (a pass reads an ID for about
    /// what one point query costs a thirtieth of).
    /// </summary>
    private void RefreshIfDue()
    {
        if (options.SnapshotCapacity <= 0)
        {
            return;
        }

        var lookups = Interlocked.Increment(ref _lookups);
        var now = Environment.TickCount64;
        if (lookups < Volatile.Read(ref _demand) || Volatile.Read(ref _scheduled) != 0 || now < Volatile.Read(ref _nextPassAt)
            || (Volatile.Read(ref _snapshot) is not null && now < Volatile.Read(ref _refreshAt)))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _ = Task.Run(PassAsync);
        }
    }

    private async Task PassAsync()
    {
        try
        {
            await RefreshSnapshotAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The database is unavailable or the pass failed: lookups go on from the bounded cache; try again a little later.
            Volatile.Write(ref _nextPassAt, Environment.TickCount64 + Math.Min(_maxAgeMilliseconds, 5000));
            logger?.LogWarning("Reading the MPN directory failed ({Error}); verifications are answered from the cache and the database meanwhile.", ex.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _scheduled, 0);
        }
    }

    /// <summary>
    /// Whether an invalidation must be remembered against the copy: a copy is in use or being read. Otherwise nothing is kept
    /// (a later pass reads the change anyway), and a copy past its maximum age is dropped with what was remembered against it.
    /// </summary>
    private bool CopyMayAnswer()
    {
        if (options.SnapshotCapacity <= 0)
        {
            return false;
        }

        if (_passes.CurrentCount == 0)
        {
            return true; // a pass is reading
        }

        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && Environment.TickCount64 - snapshot.TakenAt < _maxAgeMilliseconds)
        {
            return true;
        }

        Volatile.Write(ref _snapshot, null);
        ForgetInvalidations(long.MaxValue);
        return false;
    }

    private void ForgetInvalidations(long seenBy)
    {
        Forget(_dirtyIds, seenBy);
        Forget(_dirtyAccounts, seenBy);
    }

    /// <summary>
    /// What the copy answers for <paramref name="key"/>: not for an ID or account invalidated after its pass began, and, unless
    /// <paramref name="allowExpired"/> (the database is down), not once it is older than the maximum age.
    /// </summary>
    private bool TryAnswerFromSnapshot(long key, bool allowExpired, out string? partnerName)
    {
        partnerName = null;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || (!allowExpired && Environment.TickCount64 - snapshot.TakenAt >= _maxAgeMilliseconds)
            || (_dirtyIds.TryGetValue(key, out var invalidated) && invalidated > snapshot.Generation))
        {
            return false;
        }

        if (!snapshot.TryEnter())
        {
            return false; // replaced meanwhile: the bounded cache answers this once
        }

        bool found;
        Guid accountId;
        string? name;
        try
        {
            found = snapshot.TryFind(key, out accountId, out name);
        }
        finally
        {
            snapshot.Exit();
        }

        if (!found)
        {
            return true;
        }

        if (_dirtyAccounts.TryGetValue(accountId, out invalidated) && invalidated > snapshot.Generation)
        {
            return false;
        }

        partnerName = name;
        return true;
    }

    private static void Forget<TKey>(ConcurrentDictionary<TKey, long> dirty, long seenBy)
        where TKey : notnull
    {
        foreach (var entry in dirty)
        {
            if (entry.Value <= seenBy)
            {
                dirty.TryRemove(entry);
            }
        }
    }

    private async ValueTask<string?> LoadAsync(string mpnId, long? key, CancellationToken cancellationToken)
    {
        var generation = _byMpnId.Generation;
        MpnRow? found;
        try
        {
            found = await source.FindAsync(mpnId, cancellationToken);
        }
        catch (Exception ex) when (key is { } expired && DatabaseFailures.IsUnavailable(ex) && _byMpnId.TryGetStale(expired, out var stale))
        {
            // The database is down: an answer older than the maximum age beats a 503 (it is replaced once the database is back).
            return stale.PartnerName;
        }
        catch (Exception ex) when (key is { } old && DatabaseFailures.IsUnavailable(ex) && TryAnswerFromSnapshot(old, allowExpired: true, out var copied))
        {
            return copied;
        }

        var entry = found is { } row ? new MpnEntry(row.AccountId, row.IsCurrent && row.IsActive ? row.PartnerName : null) : default;
        if (key is { } cacheKey)
        {
            _byMpnId.Set(cacheKey, entry, generation);
        }

        return entry.PartnerName;
    }

    /// <summary>What verifying one MPN ID answers: its account (empty when unknown) and the partner name (null: does not verify).</summary>
    private readonly record struct MpnEntry(Guid AccountId, string? PartnerName);
}
