using PartnerAccounts.Application.Common.Telemetry;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.Caching;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>
/// How many MPN IDs the verification cache may hold (<c>MpnVerification:CacheCapacity</c>; 0 turns caching off) and how long
/// a cached answer (and the loaded API key set) is served before it is read again (<c>Caching:MaxAgeSeconds</c>).
/// </summary>
public sealed class MpnDirectoryOptions
{
    public const int DefaultCapacity = 250_000;
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(30);

    public int CacheCapacity { get; set; } = DefaultCapacity;

    public TimeSpan MaxAge { get; set; } = DefaultMaxAge;
}

/// <summary>
/// The MPN ID -> partner name lookup behind verification: one bounded cache from MPN ID to what verifying it answers (the
/// account and its legal name, or "does not verify"), so a hit is one dictionary lookup on an integer key. Memory stays
/// bounded whatever the number of partners (nothing is preloaded); a miss is one indexed query on a pooled connection with a
/// prepared statement. A new or deleted location invalidates its one ID; a legal-name change or a closure scans the cache
/// for the account's entries (milliseconds, and rare next to lookups).
/// </summary>
public sealed class MpnDirectory(IMpnLookupSource source, MpnDirectoryOptions options) : IMpnDirectory
{
    private readonly BoundedCache<long, MpnEntry> _byMpnId = new(options.CacheCapacity, options.MaxAge);

    public ValueTask<string?> FindPartnerNameAsync(string mpnId, CancellationToken cancellationToken)
    {
        if (KeyOf(mpnId) is not { } key)
        {
            return LoadAsync(mpnId, null, cancellationToken);
        }

        var hit = _byMpnId.TryGet(key, out var entry);
        PartnerAccountsMetrics.CacheLookup(PartnerAccountsMetrics.Caches.Mpn, hit);
        return hit ? ValueTask.FromResult(entry.PartnerName) : LoadAsync(mpnId, key, cancellationToken);
    }

    public void InvalidateMpnId(string mpnId)
    {
        if (KeyOf(mpnId) is { } key)
        {
            _byMpnId.Remove(key);
        }
    }

    public void InvalidateAccounts(IReadOnlySet<Guid> accountIds)
    {
        if (accountIds.Count > 0)
        {
            _byMpnId.RemoveWhere(entry => accountIds.Contains(entry.AccountId));
        }
    }

    public void Clear() => _byMpnId.Clear();

    /// <summary>
    /// An MPN ID (1 to 10 digits) as an integer: its value and its length, so "0012" and "12" stay apart. Integer keys hash and
    /// compare without touching a string, which keeps lookups fast in a large cache. Null for anything else.
    /// </summary>
    public static long? KeyOf(string mpnId)
    {
        if (mpnId.Length is 0 or > 10)
        {
            return null;
        }

        long value = 0;
        foreach (var c in mpnId)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }

            value = (value * 10) + (c - '0');
        }

        return (value << 4) | (long)mpnId.Length;
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
