namespace PartnerAccounts.Infrastructure.Caching;

public enum CacheChangeKind
{
    /// <summary>One MPN ID started or stopped verifying (an account or location was created, a location deleted).</summary>
    MpnId,

    /// <summary>An account's partner name or status changed: every ID of it, and its API keys.</summary>
    Account,

    /// <summary>An API key was created or revoked.</summary>
    ApiKeys,
}

/// <summary>
/// One row of the cache change feed: written in the same transaction as the change it describes, read by every API node
/// every half second to invalidate its own caches (docs/adr/0005-mpn-verification-caching.md). Pruned after an hour.
/// </summary>
public sealed class CacheChange
{
    private CacheChange()
    {
    }

    public long Id { get; private set; }

    public CacheChangeKind Kind { get; private set; }

    public string? Key { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static CacheChange Create(CacheChangeKind kind, string? key, DateTime now) => new() { Kind = kind, Key = key, CreatedAt = now };
}
