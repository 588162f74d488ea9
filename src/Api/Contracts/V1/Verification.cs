using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public sealed record VerificationResponse(VerificationStatus Status, string? Reason, DateTime UpdatedAt);

/// <summary>An operator's decision: inReview, verified, rejected or actionRequired (the last two with a reason).</summary>
public sealed record VerificationDecisionRequest
{
    [Required]
    public VerificationStatus? Status { get; init; }

    [MaxLength(FieldLimits.VerificationReason)]
    public string? Reason { get; init; }
}
