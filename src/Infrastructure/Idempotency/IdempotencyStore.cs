using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Idempotency;

/// <summary>
/// Idempotency records, each operation in its own short unit of work (never the request's own DbContext), so a claim is
/// committed before the request runs and is visible to every API node. The primary key (caller, key) settles races.
/// </summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, IClock clock, IDataProtectionProvider protection)
{
    public enum ClaimOutcome
    {
        Claimed,
        Existing,
    }

    /// <summary>Claims the key for this request, or returns the record that already holds it (completed or still running).</summary>
    public async Task<(ClaimOutcome Outcome, IdempotencyRecord? Existing)> ClaimAsync(string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.UtcNow;
        var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
        if (existing is not null)
        {
            var abandoned = existing.CompletedAt is null && existing.CreatedAt + IdempotencyRecord.AbandonedAfter < now;
            if (existing.ExpiresAt > now && !abandoned)
            {
                return (ClaimOutcome.Existing, existing);
            }

            db.IdempotencyRecords.Remove(existing);
            if (!(await db.SaveAsync(cancellationToken)).IsSuccess)
            {
                return (ClaimOutcome.Existing, await FindAsync(caller, key, cancellationToken));
            }
        }

        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Caller = caller,
            Key = key,
            RequestHash = requestHash,
            CreatedAt = now,
            ExpiresAt = now + IdempotencyRecord.Lifetime,
        });
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? (ClaimOutcome.Claimed, null) : (ClaimOutcome.Existing, await FindAsync(caller, key, cancellationToken));
    }

    public async Task<IdempotencyRecord?> FindAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
    }

    /// <summary>Stores the response a retry will replay: its body only encrypted for this caller, never in the clear.</summary>
    public async Task CompleteAsync(string caller, string key, StoredResponse response)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var body = ProtectorFor(caller).Protect(response.Body);
        await db.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.CompletedAt, clock.UtcNow)
            .SetProperty(r => r.StatusCode, response.StatusCode)
            .SetProperty(r => r.ContentType, response.ContentType)
            .SetProperty(r => r.Location, response.Location)
            .SetProperty(r => r.ETag, response.ETag)
            .SetProperty(r => r.Body, body)
            .SetProperty(r => r.AccountId, response.AccountId)
            .SetProperty(r => r.Permission, response.Permission)
            .SetProperty(r => r.SecretKind, response.Secret == null ? null : response.Secret.Kind.ToString())
            .SetProperty(r => r.SecretSubjectId, response.Secret == null ? null : response.Secret.SubjectId)
            .SetProperty(r => r.SecretStamp, response.Secret == null ? null : response.Secret.Stamp));
    }

    /// <summary>The stored body in the clear; null when it cannot be decrypted (another caller's record, a lost key ring).</summary>
    public byte[]? BodyOf(IdempotencyRecord record)
    {
        if (record.Body is null)
        {
            return null;
        }

        try
        {
            return ProtectorFor(record.Caller).Unprotect(record.Body);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether the secret the stored body carries may still be repeated: the key not revoked, the temporary password not used or replaced, the webhook secret not rotated (nor the webhook deleted).</summary>
    public async Task<bool> SecretStillValidAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var subject = record.SecretSubjectId;
        return record.SecretKind switch
        {
            nameof(SecretKind.ApiKey) => await db.ApiKeys.AnyAsync(k => k.Id == subject, cancellationToken),
            nameof(SecretKind.TemporaryPassword) => await db.Users.AnyAsync(
                u => u.Id == subject && u.SecurityStamp == record.SecretStamp && u.MustChangePassword, cancellationToken),
            nameof(SecretKind.WebhookSecret) => await db.Webhooks.AnyAsync(w => w.Id == subject && w.SecretId == record.SecretStamp, cancellationToken),
            _ => false,
        };
    }

    private IDataProtector ProtectorFor(string caller) => protection.CreateProtector("PartnerAccounts.IdempotentResponses.v1", caller);

    /// <summary>Gives the key up (the request failed without creating anything), so a retry runs again.</summary>
    public async Task ReleaseAsync(string caller, string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.IdempotencyRecords.Where(r => r.Caller == caller && r.Key == key && r.CompletedAt == null).ExecuteDeleteAsync();
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.UtcNow;
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>A response to remember: what it was, what authorized it, and the secret it carries (if any).</summary>
public sealed record StoredResponse(
    int StatusCode, string? ContentType, string? Location, string? ETag, byte[] Body, Guid? AccountId, string? Permission, IssuedSecret? Secret);

/// <summary>Deletes expired idempotency records every hour.</summary>
public sealed class IdempotencyCleanup(IdempotencyStore store, ILogger<IdempotencyCleanup> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await store.DeleteExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Deleting expired idempotency records failed; will retry in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
