using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>
/// A status change. Platform operators send any status with a reason (required for suspended and closed); a Global admin may
/// only close the account, confirming it with <c>confirmLegalName</c> set to the account's current legal name.
/// </summary>
public sealed record AccountStatusChangeRequest
{
    [Required]
    public AccountStatus? Status { get; init; }

    [MaxLength(FieldLimits.StatusReason)]
    public string? Reason { get; init; }

    /// <summary>Global admins closing their account: the account's current legal name, exactly.</summary>
    [MaxLength(FieldLimits.CompanyName)]
    public string? ConfirmLegalName { get; init; }
}

/// <summary>The account's status after the change, why, and when it changed.</summary>
public sealed record AccountStatusResponse(AccountStatus Status, string? Reason, DateTime ChangedAt);
