using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.Caching;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>How many entries the verification caches may hold (<c>MpnVerification:CacheCapacity</c>); 0 turns caching off.</summary>
public sealed class MpnDirectoryOptions
{
    public const int DefaultCapacity = 250_000;

    public int CacheCapacity { get; set; } = DefaultCapacity;
}

/// <summary>
/// The MPN ID -> partner name lookup behind verification, in two bounded caches: MPN ID -> account (or "does not verify"), and
/// account -> partner name (or "closed"). Two levels make every invalidation one removal: a new or deleted location touches
/// one MPN ID, a legal-name change or a closure one account, however many IDs it has. Memory stays bounded whatever the number
/// of partners (nothing is preloaded); a miss is one indexed query on a pooled connection with a prepared statement.
/// </summary>
public sealed class MpnDirectory(IMpnLookupSource source, MpnDirectoryOptions options) : IMpnDirectory
{
    private readonly BoundedCache<string, Guid> _accountOfMpnId = new(options.CacheCapacity, StringComparer.Ordinal);
    private readonly BoundedCache<Guid, string?> _partnerNameOfAccount = new(options.CacheCapacity);

    public int CachedEntries => _accountOfMpnId.Count + _partnerNameOfAccount.Count;

    public ValueTask<string?> FindPartnerNameAsync(string mpnId, CancellationToken cancellationToken)
    {
        if (_accountOfMpnId.TryGet(mpnId, out var accountId))
        {
            if (accountId == Guid.Empty)
            {
                return ValueTask.FromResult<string?>(null);
            }

            if (_partnerNameOfAccount.TryGet(accountId, out var partnerName))
            {
                return ValueTask.FromResult(partnerName);
            }
        }

        return LoadAsync(mpnId, cancellationToken);
    }

    public void InvalidateMpnId(string mpnId) => _accountOfMpnId.Remove(mpnId);

    public void InvalidateAccount(Guid accountId) => _partnerNameOfAccount.Remove(accountId);

    public void Clear()
    {
        _accountOfMpnId.Clear();
        _partnerNameOfAccount.Clear();
    }

    private async ValueTask<string?> LoadAsync(string mpnId, CancellationToken cancellationToken)
    {
        var idsGeneration = _accountOfMpnId.Generation;
        var namesGeneration = _partnerNameOfAccount.Generation;
        var found = await source.FindAsync(mpnId, cancellationToken);
        if (found is not { } row)
        {
            _accountOfMpnId.Set(mpnId, Guid.Empty, idsGeneration);
            return null;
        }

        _accountOfMpnId.Set(mpnId, row.IsCurrent ? row.AccountId : Guid.Empty, idsGeneration);
        var partnerName = row.IsActive ? row.PartnerName : null;
        _partnerNameOfAccount.Set(row.AccountId, partnerName, namesGeneration);
        return row.IsCurrent ? partnerName : null;
    }
}
