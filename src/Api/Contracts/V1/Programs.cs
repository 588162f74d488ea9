using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public enum ProgramPrerequisite
{
    MpnEnrollment,
    VerifiedAccount,
    GlobalAdmin,
}

public enum EnrollmentStatus
{
    Pending,
    Active,
    Rejected,
    Withdrawn,
}

/// <summary>An operator's decision on a pending enrollment.</summary>
public enum EnrollmentDecision
{
    Active,
    Rejected,
}

public enum MpnIdPlacement
{
    PartnerProfile,
    AccountSettings,
}

public sealed record PrerequisiteResponse(ProgramPrerequisite Id, string Description);

/// <summary>
/// A program of the catalogue: its settings area, its prerequisites, the roles whose holders may enroll the account, and
/// whether an enrollment makes its settings area's roles assignable (Edge extensions does not).
/// </summary>
public sealed record ProgramResponse(
    string Id,
    string Name,
    string Description,
    SettingsArea SettingsArea,
    IReadOnlyList<PrerequisiteResponse> Prerequisites,
    IReadOnlyList<RoleRef> EnrollingRoles,
    bool AllowsRoleAssignment);

/// <summary>Enroll the account in a program of GET /v1/programs.</summary>
public sealed record EnrollRequest
{
    [Required, MaxLength(64)]
    public string? ProgramId { get; init; }
}

public sealed record EnrollmentResponse(
    string ProgramId,
    string ProgramName,
    SettingsArea SettingsArea,
    EnrollmentStatus Status,
    string? Reason,
    DateTime EnrolledAt,
    DateTime UpdatedAt);

/// <summary>An operator's decision: active, or rejected with a reason.</summary>
public sealed record EnrollmentDecisionRequest
{
    [Required]
    public EnrollmentDecision? Status { get; init; }

    [MaxLength(FieldLimits.EnrollmentReason)]
    public string? Reason { get; init; }
}

/// <summary>A live (pending or active) enrollment, as the account summary and the account picker list them.</summary>
public sealed record EnrolledProgramRef(string Id, string Name, SettingsArea SettingsArea, EnrollmentStatus Status);

/// <summary>
/// The account's settings areas (Partner when it has a live partner-area enrollment, Developer likewise), the areas whose
/// roles it can assign (Partner always; Developer with a live developer program that allows role assignment), and where its
/// MPN ID is shown (the partner profile, or the account settings for developer-only accounts).
/// </summary>
public sealed record AccountSettingsResponse(
    IReadOnlyList<SettingsArea> SettingsAreas,
    IReadOnlyList<SettingsArea> AssignableRoleAreas,
    string MpnId,
    MpnIdPlacement MpnIdShownIn);
