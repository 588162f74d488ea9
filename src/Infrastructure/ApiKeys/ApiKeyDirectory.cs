using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.ApiKeys;

/// <summary>
/// Every usable API key (of accounts that are not closed) in memory, by public prefix, with its hash: checking a presented
/// key is a dictionary lookup and one SHA-256, never a database round trip. Keys are few next to partners, so the set is
/// loaded whole, on first use and again after any key is created or revoked (<see cref="Invalidate"/>); an unknown key is
/// refused without touching the database.
/// </summary>
public sealed class ApiKeyDirectory(IServiceScopeFactory scopes, ApiKeyUsage usage) : IApiKeyAuthenticator
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lock _publication = new();
    private volatile Snapshot? _snapshot;
    private long _generation;

    public ValueTask<ApiKeyIdentity?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryGetPrefix(presentedSecret, out _))
        {
            return ValueTask.FromResult<ApiKeyIdentity?>(null);
        }

        var snapshot = _snapshot;
        return snapshot is null ? LoadAndCheckAsync(presentedSecret, cancellationToken) : ValueTask.FromResult(Check(snapshot, presentedSecret));
    }

    /// <summary>Forgets the loaded keys: the next presented key reloads them.</summary>
    public void Invalidate()
    {
        lock (_publication)
        {
            _generation++;
            _snapshot = null;
        }
    }

    private ApiKeyIdentity? Check(Snapshot snapshot, string secret)
    {
        ApiKeySecret.TryGetPrefix(secret, out var prefix);
        if (!snapshot.ByPrefix.TryGetValue(prefix, out var entry))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[ApiKeySecret.HashLength];
        ApiKeySecret.Hash(secret, hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
        {
            return null;
        }

        usage.Touch(entry);
        return entry.Identity;
    }

    private async ValueTask<ApiKeyIdentity?> LoadAndCheckAsync(string secret, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            var snapshot = _snapshot;
            if (snapshot is null)
            {
                long generation;
                lock (_publication)
                {
                    generation = _generation;
                }

                snapshot = await LoadAsync(cancellationToken);
                lock (_publication)
                {
                    // An invalidation during the load may have removed a key this snapshot still holds: use it for this request
                    // only (it raced that change), and let the next one load again.
                    if (_generation == generation)
                    {
                        _snapshot = snapshot;
                    }
                }
            }

            return Check(snapshot, secret);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var keys = await db.ApiKeys.AsNoTracking()
            .Join(db.Accounts.Where(a => a.Status == AccountStatus.Active), k => k.AccountId, a => a.Id, (k, a) => new { k.Id, k.AccountId, k.Prefix, k.SecretHash })
            .ToListAsync(cancellationToken);
        return new Snapshot(keys.ToFrozenDictionary(
            k => k.Prefix, k => new ApiKeyEntry(new ApiKeyIdentity(k.Id, k.AccountId), k.SecretHash), StringComparer.Ordinal));
    }

    private sealed class Snapshot(FrozenDictionary<string, ApiKeyEntry> byPrefix)
    {
        public FrozenDictionary<string, ApiKeyEntry>.AlternateLookup<ReadOnlySpan<char>> ByPrefix { get; } =
            byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}

/// <summary>A loaded key: who it identifies, its hash, and when this node last recorded a use of it.</summary>
public sealed class ApiKeyEntry(ApiKeyIdentity identity, byte[] hash)
{
    public ApiKeyIdentity Identity { get; } = identity;

    public byte[] Hash { get; } = hash;

    /// <summary><see cref="Environment.TickCount64"/> of the last recorded use; far in the past at first.</summary>
    internal long LastRecordedAt = long.MinValue / 2;
}
