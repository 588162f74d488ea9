using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Programs;

public enum EnrollmentStatus
{
    Pending,
    Active,
    Rejected,
    Withdrawn,
}

/// <summary>
/// An account's enrollment in one program. There is one per account and program: enrolling again after a withdrawal or a
/// rejection reuses it (back to <c>pending</c>), so an account can never hold two live enrollments in the same program;
/// the audit trail keeps the history. Pending -> active or rejected is a platform operator's decision; pending or active
/// -> withdrawn is the partner's.
/// </summary>
public sealed class Enrollment
{
    public const string InvalidTransitionCode = "invalid_enrollment_transition";

    private Enrollment()
    {
        ProgramId = string.Empty;
    }

    public Guid AccountId { get; private set; }

    public string ProgramId { get; private set; }

    public EnrollmentStatus Status { get; private set; }

    /// <summary>The operator's reason for a rejection (optional for an activation); cleared when the account enrolls again.</summary>
    public string? Reason { get; private set; }

    /// <summary>When the current enrollment was requested (the latest one, after a re-enrollment).</summary>
    public DateTime EnrolledAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>Pending and active enrollments are live: they count as "enrolled" (settings areas, duplicates, dependents).</summary>
    public bool IsLive => IsLiveStatus(Status);

    public static bool IsLiveStatus(EnrollmentStatus status) => status is EnrollmentStatus.Pending or EnrollmentStatus.Active;

    public static Error AlreadyEnrolled(ProgramDefinition program) =>
        Error.Conflict("already_enrolled", $"The account is already enrolled in '{program.Name}' (pending or active).");

    /// <summary>Enrolls an account for the first time in <paramref name="program"/>: <c>pending</c> when every prerequisite holds.</summary>
    public static Result<Enrollment> Start(Guid accountId, ProgramDefinition program, EnrollmentFacts facts, bool enrollerIsGlobalAdmin, DateTime now)
    {
        if (facts.IsLive(program.Id))
        {
            return AlreadyEnrolled(program);
        }

        var missing = PrerequisiteRules.MissingToEnroll(program, facts, enrollerIsGlobalAdmin);
        if (missing.Count > 0)
        {
            return PrerequisiteRules.ToError(program, missing);
        }

        return new Enrollment
        {
            AccountId = accountId,
            ProgramId = program.Id,
            Status = EnrollmentStatus.Pending,
            EnrolledAt = now,
            UpdatedAt = now,
            Version = 1,
        };
    }

    /// <summary>Enrolls again after a withdrawal or a rejection: back to <c>pending</c> when every prerequisite holds.</summary>
    public Result<Success> Reenroll(ProgramDefinition program, EnrollmentFacts facts, bool enrollerIsGlobalAdmin, DateTime now)
    {
        if (IsLive)
        {
            return AlreadyEnrolled(program);
        }

        var missing = PrerequisiteRules.MissingToEnroll(program, facts, enrollerIsGlobalAdmin);
        if (missing.Count > 0)
        {
            return PrerequisiteRules.ToError(program, missing);
        }

        Move(EnrollmentStatus.Pending, null, now);
        EnrolledAt = now;
        return Success.Value;
    }

    /// <summary>
    /// A platform operator's decision on a pending enrollment: <c>active</c> (the prerequisites about the account must still
    /// hold) or <c>rejected</c> (with a reason).
    /// </summary>
    public Result<Success> Decide(EnrollmentStatus decision, string? reason, ProgramDefinition program, EnrollmentFacts facts, DateTime now)
    {
        if (Status != EnrollmentStatus.Pending || decision is not (EnrollmentStatus.Active or EnrollmentStatus.Rejected))
        {
            return InvalidTransition(decision);
        }

        if (decision == EnrollmentStatus.Rejected && string.IsNullOrWhiteSpace(reason))
        {
            return Error.BusinessRule(
                "enrollment_reason_required",
                "A reason is required to reject an enrollment.",
                new Dictionary<string, string[]> { ["reason"] = ["A reason is required to reject an enrollment."] });
        }

        if (decision == EnrollmentStatus.Active)
        {
            var missing = PrerequisiteRules.MissingToActivate(program, facts);
            if (missing.Count > 0)
            {
                return PrerequisiteRules.ToError(program, missing);
            }
        }

        Move(decision, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), now);
        return Success.Value;
    }

    /// <summary>
    /// The partner withdraws a pending or active enrollment. A program others depend on (MPN) cannot be withdrawn while any
    /// of those is live: withdraw them first.
    /// </summary>
    public Result<Success> Withdraw(EnrollmentFacts facts, DateTime now)
    {
        if (!IsLive)
        {
            return InvalidTransition(EnrollmentStatus.Withdrawn);
        }

        var dependents = ProgramCatalogue.DependentsOf(ProgramId).Where(p => facts.IsLive(p.Id)).Select(p => p.Name).ToList();
        if (dependents.Count > 0)
        {
            return Error.Conflict(
                "program_has_dependents",
                $"The account's enrollments in {string.Join(", ", dependents.Select(n => $"'{n}'"))} need this one; withdraw them first.");
        }

        Move(EnrollmentStatus.Withdrawn, null, now);
        return Success.Value;
    }

    private void Move(EnrollmentStatus status, string? reason, DateTime now)
    {
        Status = status;
        Reason = reason;
        UpdatedAt = now;
        Version++;
    }

    private Error InvalidTransition(EnrollmentStatus to) =>
        Error.Conflict(InvalidTransitionCode, $"An enrollment cannot move from '{CamelCase(Status)}' to '{CamelCase(to)}'.");

    private static string CamelCase(EnrollmentStatus status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
