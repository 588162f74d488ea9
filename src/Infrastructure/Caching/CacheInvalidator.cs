using PartnerAccounts.Infrastructure.ApiKeys;
using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>Applies changes to this node's verification caches, whether this node made them or read them from the feed.</summary>
public sealed class CacheInvalidator(MpnDirectory directory, ApiKeyDirectory keys)
{
    /// <summary>Applies a batch of changes: the changed accounts are looked for in one scan of the cache.</summary>
    public void Apply(IEnumerable<(CacheChangeKind Kind, string? Key)> changes)
    {
        HashSet<Guid>? accounts = null;
        var keysChanged = false;
        foreach (var (kind, key) in changes)
        {
            switch (kind)
            {
                case CacheChangeKind.MpnId when key is not null:
                    directory.InvalidateMpnId(key);
                    break;
                case CacheChangeKind.Account when Guid.TryParse(key, out var accountId):
                    (accounts ??= []).Add(accountId);
                    keysChanged = true;
                    break;
                case CacheChangeKind.ApiKeys:
                    keysChanged = true;
                    break;
                default:
                    InvalidateAll();
                    return;
            }
        }

        if (accounts is not null)
        {
            directory.InvalidateAccounts(accounts);
        }

        if (keysChanged)
        {
            keys.Invalidate();
        }
    }

    /// <summary>When changes may have been missed (the feed could not be read), nothing cached can be trusted.</summary>
    public void InvalidateAll()
    {
        directory.Clear();
        keys.Invalidate();
    }
}
