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
/// One row of the cache change feed: written in the same transaction as the change it describes, read by every other API node
/// to invalidate its own caches (docs/adr/0005-mpn-verification-caching.md, docs/adr/0010-scale-out.md). Pruned after an hour.
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

    /// <summary>The node (<see cref="CacheChangeOrigin"/>) that wrote the row; null for rows written before origins existed.</summary>
    public Guid? Origin { get; private set; }

    public static CacheChange Create(CacheChangeKind kind, string? key, Guid origin, DateTime now) =>
        new() { Kind = kind, Key = key, Origin = origin, CreatedAt = now };
}

/// <summary>
/// This node's id in the cache change feed and in its notifications, new for every process. The node that saves a change
/// applies it to its own caches as it commits, so its feed skips the rows it wrote and its listener the notifications it sent:
/// applying them again later would only drop entries cached since (with fresh values) for nothing.
/// </summary>
public sealed class CacheChangeOrigin
{
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The id as sent in a notification's payload.</summary>
    public string Payload => Id.ToString("N");
}
