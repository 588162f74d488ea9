using System.Text.Json;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>
/// One change to the account. <c>before</c> and <c>after</c> are JSON objects holding the non-secret fields of the resource
/// (null when it did not exist before or no longer exists after).
/// </summary>
/// <param name="Id">Grows with every change; newer records have higher ids.</param>
/// <param name="OccurredAt">When the change was saved (UTC).</param>
/// <param name="Actor">Who made the change: the caller's email.</param>
/// <param name="Action">What was done, for example <c>created</c>, <c>updated</c>, <c>roleAssigned</c>, <c>verificationDecided</c>.</param>
/// <param name="Resource">Which resource changed, for example <c>account</c> or <c>profiles/legalbusiness</c>.</param>
/// <param name="ResourceId">The id of the changed item within the resource, when it has one.</param>
/// <param name="Before">The resource before the change.</param>
/// <param name="After">The resource after the change.</param>
/// <param name="CorrelationId">The <c>X-Correlation-Id</c> (or <c>MS-CorrelationId</c>) the change was sent with.</param>
public sealed record AuditRecordResponse(
    long Id,
    DateTime OccurredAt,
    string Actor,
    string Action,
    string Resource,
    string? ResourceId,
    JsonElement? Before,
    JsonElement? After,
    string? CorrelationId);
