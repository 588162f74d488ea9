using PartnerAccounts.Infrastructure.ApiKeys;
using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>Applies one change to this node's verification caches, whether this node made it or read it from the feed.</summary>
public sealed class CacheInvalidator(MpnDirectory directory, ApiKeyDirectory keys)
{
    public void Apply(CacheChangeKind kind, string? key)
    {
        switch (kind)
        {
            case CacheChangeKind.MpnId when key is not null:
                directory.InvalidateMpnId(key);
                break;
            case CacheChangeKind.Account when Guid.TryParse(key, out var accountId):
                directory.InvalidateAccount(accountId);
                keys.Invalidate();
                break;
            case CacheChangeKind.ApiKeys:
                keys.Invalidate();
                break;
            default:
                InvalidateAll();
                break;
        }
    }

    /// <summary>When changes may have been missed (the feed could not be read), nothing cached can be trusted.</summary>
    public void InvalidateAll()
    {
        directory.Clear();
        keys.Invalidate();
    }
}
