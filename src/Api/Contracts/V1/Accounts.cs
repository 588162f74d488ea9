using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public enum AccountStatus
{
    Active,
    Suspended,
    Closed,
}

public enum VerificationStatus
{
    Pending,
    InReview,
    Verified,
    Rejected,
    ActionRequired,
}

/// <summary>Enroll a company. The caller (identified by the token's email) becomes its first Global admin.</summary>
public sealed record CreateAccountRequest
{
    [Required, MaxLength(FieldLimits.CompanyName)]
    public string? LegalName { get; init; }

    /// <summary>The name shown in the account picker; defaults to the legal name.</summary>
    [MaxLength(FieldLimits.CompanyName)]
    public string? DisplayName { get; init; }

    [Required]
    public Address? Address { get; init; }

    [Required]
    public Contact? PrimaryContact { get; init; }
}

public sealed record AccountResponse(
    Guid Id,
    string MpnId,
    string LegalName,
    string DisplayName,
    AccountStatus Status,
    VerificationStatus VerificationStatus,
    string? VerificationReason,
    IReadOnlyList<EnrolledProgramRef> Programs,
    IReadOnlyList<SettingsArea> SettingsAreas,
    MpnIdPlacement MpnIdShownIn,
    DateTime CreatedAt);

public sealed record RoleRef(string Id, string Name);

public sealed record MyAccountResponse(
    Guid AccountId,
    string MpnId,
    string LegalName,
    string DisplayName,
    AccountStatus Status,
    VerificationStatus VerificationStatus,
    IReadOnlyList<RoleRef> Roles,
    IReadOnlyList<EnrolledProgramRef> Programs);
