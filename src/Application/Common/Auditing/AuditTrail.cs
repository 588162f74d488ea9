using System.Text.Json;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Audit;

namespace PartnerAccounts.Application.Common.Auditing;

/// <summary>
/// Adds an audit record to the unit of work, so it is saved in the same transaction as the change.
/// Snapshots are the read models, which never hold secrets in full.
/// </summary>
public sealed class AuditTrail(IAppDbContext db, ICurrentUser user, IClock clock)
{
    private static readonly JsonSerializerOptions SnapshotOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public void Record(Guid accountId, string action, string resource, string? resourceId, object? before, object? after)
    {
        db.AuditRecords.Add(AuditRecord.Create(
            accountId,
            clock.UtcNow,
            user.Email ?? "system",
            action,
            resource,
            resourceId,
            Snapshot(before),
            Snapshot(after),
            user.CorrelationId));
    }

    private static string? Snapshot(object? state) => state is null ? null : JsonSerializer.Serialize(state, state.GetType(), SnapshotOptions);
}
