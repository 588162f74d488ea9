using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PartnerAccounts.Application.Webhooks;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>
/// The transactional outbox: for every audit record a save adds, the events it stands for (<see cref="AuditEventMap"/>) are added
/// to the same SaveChanges, so an event exists exactly when its change committed. Once the save has committed, this node's
/// delivery worker is woken; workers on other nodes find the events on their next poll.
/// </summary>
public sealed class EventOutboxInterceptor(IWebhookWorkerSignal worker) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _withEvents = [];

    // A save that failed and is tried again with the same tracked records must not publish their events twice.
    private readonly ConditionalWeakTable<AuditRecord, object> _staged = [];

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
        Published(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Published(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Stage(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<AccountEvent>? events = null;
        foreach (var entry in context.ChangeTracker.Entries<AuditRecord>())
        {
            var record = entry.Entity;
            if (entry.State != EntityState.Added || !_staged.TryAdd(record, record))
            {
                continue;
            }

            foreach (var (type, data) in AuditEventMap.EventsOf(record))
            {
                (events ??= []).Add(AccountEvent.Create(Ids.NewVersion7(), record.AccountId, type, record.OccurredAt, AuditEventMap.Serialize(data)));
            }
        }

        if (events is null)
        {
            return;
        }

        context.AddRange(events);
        _withEvents.AddOrUpdate(context, events);
    }

    private void Published(DbContext? context)
    {
        if (context is not null && _withEvents.TryGetValue(context, out _))
        {
            _withEvents.Remove(context);
            worker.Wake();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _withEvents.Remove(context);
        }
    }
}
