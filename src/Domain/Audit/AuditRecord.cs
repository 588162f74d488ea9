using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Audit;

/// <summary>One change to an account: who, when, which resource, and the non-secret state before and after (JSON).</summary>
public sealed class AuditRecord
{
    private AuditRecord()
    {
        Actor = string.Empty;
        Action = string.Empty;
        Resource = string.Empty;
    }

    public long Id { get; private set; }

    public Guid AccountId { get; private set; }

    public DateTime OccurredAt { get; private set; }

    public string Actor { get; private set; }

    public string Action { get; private set; }

    public string Resource { get; private set; }

    public string? ResourceId { get; private set; }

    public string? Before { get; private set; }

    public string? After { get; private set; }

    public string? CorrelationId { get; private set; }

    public static AuditRecord Create(Guid accountId, DateTime occurredAt, string actor, string action, string resource, string? resourceId, string? before, string? after, string? correlationId) => new()
    {
        AccountId = accountId,
        OccurredAt = occurredAt,
        Actor = actor,
        Action = action,
        Resource = resource,
        ResourceId = resourceId,
        Before = before,
        After = after,
        CorrelationId = correlationId,
    };
}
