using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;

namespace PartnerAccounts.Infrastructure.Caching;

/// <summary>
/// Turns every saved change that affects MPN ID verification into cache invalidations, whichever use case made it: the rows of
/// the cache change feed are added to the same SaveChanges (so they commit or roll back with the change, for the other nodes),
/// and once the save has committed this node's caches are invalidated at once. What counts: an MPN ID registered (new account
/// or location), a location deleted, a legal company name changed, an account's status changed or the account deleted, an API
/// key created, changed or revoked. On PostgreSQL the other nodes are then notified (<see cref="ICacheChangeNotifier"/>) so they
/// read the new rows within milliseconds. The rows carry this node's <see cref="CacheChangeOrigin"/>: its own feed skips them.
/// </summary>
public sealed class CacheInvalidationInterceptor(CacheInvalidator caches, IClock clock, CacheChangeOrigin origin, ICacheChangeNotifier? notifier = null)
    : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<(CacheChangeKind Kind, string? Key)>> _committing = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stage(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stage(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Apply(eventData.Context) && notifier is not null)
        {
            notifier.NotifyAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Apply(eventData.Context) && notifier is not null)
        {
            // Not the request's token: the change is committed, the other nodes must hear of it even if the caller went away.
            await notifier.NotifyAsync(CancellationToken.None);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    internal static (CacheChangeKind Kind, string? Key)? ChangeOf(EntityEntry entry) => (entry.Entity, entry.State) switch
    {
        (MpnRegistration r, EntityState.Added) => (CacheChangeKind.MpnId, r.MpnId),
        (Location l, EntityState.Added or EntityState.Deleted) => (CacheChangeKind.MpnId, l.MpnId),
        (LegalBusinessProfile p, EntityState.Added or EntityState.Deleted) => (CacheChangeKind.Account, p.AccountId.ToString()),
        (LegalBusinessProfile p, EntityState.Modified) when entry.Property(nameof(LegalBusinessProfile.CompanyName)).IsModified =>
            (CacheChangeKind.Account, p.AccountId.ToString()),
        (Account a, EntityState.Deleted) => (CacheChangeKind.Account, a.Id.ToString()),
        (Account a, EntityState.Modified) when entry.Property(nameof(Account.Status)).IsModified => (CacheChangeKind.Account, a.Id.ToString()),
        (ApiKey, EntityState.Added or EntityState.Deleted or EntityState.Modified) => (CacheChangeKind.ApiKeys, null),
        _ => null,
    };

    private void Stage(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        context.ChangeTracker.DetectChanges();
        HashSet<(CacheChangeKind Kind, string? Key)>? changes = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (ChangeOf(entry) is { } change)
            {
                (changes ??= []).Add(change);
            }
        }

        if (changes is null)
        {
            return;
        }

        var now = clock.UtcNow;
        foreach (var (kind, key) in changes)
        {
            context.Add(CacheChange.Create(kind, key, origin.Id, now));
        }

        _committing.AddOrUpdate(context, changes);
    }

    /// <summary>Invalidates this node's caches for what the committed save changed; false when it changed nothing cached.</summary>
    private bool Apply(DbContext? context)
    {
        if (context is null || !_committing.TryGetValue(context, out var changes))
        {
            return false;
        }

        _committing.Remove(context);
        caches.Apply(changes);
        return true;
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _committing.Remove(context);
        }
    }
}
