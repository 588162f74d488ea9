using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Infrastructure.MpnVerification;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.ApiKeys;

/// <summary>
/// Every usable API key (of accounts that are not closed) in memory, by public prefix, with its hash: checking a presented
/// key is a dictionary lookup and one SHA-256, never a database round trip. Keys are few next to partners, so the set is
/// loaded whole, on first use and again after any key is created or revoked (<see cref="Invalidate"/>); an unknown key is
/// refused without touching the database. The set is also read again once it is older than <c>Caching:MaxAgeSeconds</c> (a
/// key revoked by an operator's SQL); while the database is unavailable the loaded set keeps serving.
/// </summary>
public sealed class ApiKeyDirectory(IServiceScopeFactory scopes, ApiKeyUsage usage, MpnDirectoryOptions options) : IApiKeyAuthenticator
{
    /// <summary>While the database is unavailable, how long an expired key set is served before a reload is tried again.</summary>
    private const long RetryMilliseconds = 1000;

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
        return snapshot is null || Environment.TickCount64 >= snapshot.FreshUntil
            ? LoadAndCheckAsync(presentedSecret, snapshot, cancellationToken)
            : ValueTask.FromResult(Check(snapshot, presentedSecret));
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

        // The secret that last verified against this entry is compared in constant time instead of hashing again (an
        // integration presents the same key on every call); any other secret is hashed and compared with the stored hash.
        if (entry.Verified is not { } known || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(known.AsSpan()), MemoryMarshal.AsBytes(secret.AsSpan())))
        {
            Span<byte> hash = stackalloc byte[ApiKeySecret.HashLength];
            ApiKeySecret.Hash(secret, hash);
            if (!CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
            {
                return null;
            }

            entry.Verified = secret;
        }

        usage.Touch(entry);
        return entry.Identity;
    }

    private async ValueTask<ApiKeyIdentity?> LoadAndCheckAsync(string secret, Snapshot? expired, CancellationToken cancellationToken)
    {
        // An expired set is still served while another request reloads it (nobody waits behind a slow database).
        if (expired is not null && !await _loading.WaitAsync(0, cancellationToken))
        {
            return Check(expired, secret);
        }

        if (expired is null)
        {
            await _loading.WaitAsync(cancellationToken);
        }

        try
        {
            var snapshot = _snapshot;
            if (snapshot is null || Environment.TickCount64 >= snapshot.FreshUntil)
            {
                long generation;
                lock (_publication)
                {
                    generation = _generation;
                }

                try
                {
                    snapshot = await LoadAsync(cancellationToken);
                }
                catch (Exception ex) when (snapshot is not null && DatabaseFailures.IsUnavailable(ex))
                {
                    snapshot.FreshUntil = Environment.TickCount64 + RetryMilliseconds;
                    return Check(snapshot, secret);
                }

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
            k => k.Prefix, k => new ApiKeyEntry(new ApiKeyIdentity(k.Id, k.AccountId), k.SecretHash), StringComparer.Ordinal))
        {
            FreshUntil = Environment.TickCount64 + (long)options.MaxAge.TotalMilliseconds,
        };
    }

    private sealed class Snapshot(FrozenDictionary<string, ApiKeyEntry> byPrefix)
    {
        private long _freshUntil;

        /// <summary>The <see cref="Environment.TickCount64"/> after which the set is read again.</summary>
        public long FreshUntil
        {
            get => Volatile.Read(ref _freshUntil);
            set => Volatile.Write(ref _freshUntil, value);
        }

        public FrozenDictionary<string, ApiKeyEntry>.AlternateLookup<ReadOnlySpan<char>> ByPrefix { get; } =
            byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}

/// <summary>A loaded key: who it identifies, its hash, and when this node last recorded a use of it.</summary>
public sealed class ApiKeyEntry(ApiKeyIdentity identity, byte[] hash)
{
    public ApiKeyIdentity Identity { get; } = identity;

    public byte[] Hash { get; } = hash;

    /// <summary>
    /// The secret that last matched <see cref="Hash"/>, kept in memory only, for as long as this entry (the loaded key set: at most
    /// <c>Caching:MaxAgeSeconds</c>, and no longer than the next creation or revocation of a key).
    /// </summary>
    internal volatile string? Verified;
}
