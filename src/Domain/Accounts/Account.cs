using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Accounts;

public enum AccountStatus
{
    Active,
    Suspended,
    Closed,
}

/// <summary>A partner's company account: its global MPN ID, its verification state and its lifecycle.</summary>
public sealed class Account
{
    private Account()
    {
        MpnId = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The partner global account ID (PGA).</summary>
    public string MpnId { get; private set; }

    public AccountStatus Status { get; private set; }

    /// <summary>Why the status last changed (an operator's note, or the owner's closure); null while it never changed.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>When the status last changed; the creation time while it never changed.</summary>
    public DateTime StatusChangedAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public VerificationStatus VerificationStatus { get; private set; }

    public string? VerificationReason { get; private set; }

    public DateTime VerificationUpdatedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>
    /// Bumped by every change to the account's guarded sets: who holds which role, and which locations exist. It is a
    /// concurrency token, so two requests that each checked "another Global admin remains" (or "another location remains")
    /// cannot both commit: the second one re-checks and fails. Kept apart from <see cref="Version"/>, the verification ETag.
    /// </summary>
    public int GuardVersion { get; private set; }

    public static Account Create(Guid id, string mpnId, DateTime now) => new()
    {
        Id = id,
        MpnId = mpnId,
        Status = AccountStatus.Active,
        StatusChangedAt = now,
        CreatedAt = now,
        VerificationStatus = VerificationStatus.Pending,
        VerificationUpdatedAt = now,
        Version = 1,
    };

    /// <summary>A platform operator's decision on the account verification.</summary>
    public Result<Success> DecideVerification(VerificationStatus decision, string? reason, DateTime now)
    {
        if (!VerificationRules.CanMove(VerificationStatus, decision))
        {
            return Error.Conflict(
                "invalid_verification_transition",
                $"Verification cannot move from '{ToCamel(VerificationStatus)}' to '{ToCamel(decision)}'.");
        }

        if (VerificationRules.RequiresReason(decision) && string.IsNullOrWhiteSpace(reason))
        {
            return Error.BusinessRule(
                "verification_reason_required",
                $"A reason is required for '{ToCamel(decision)}'.",
                new Dictionary<string, string[]> { ["reason"] = ["A reason is required for this decision."] });
        }

        VerificationStatus = decision;
        VerificationReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        VerificationUpdatedAt = now;
        Version++;
        return Success.Value;
    }

    public void TouchGuard() => GuardVersion++;

    /// <summary>Whether the account takes changes: a suspended or closed account is read-only until it is reactivated.</summary>
    public static bool AcceptsChanges(AccountStatus status) => status == AccountStatus.Active;

    /// <summary>
    /// A platform operator sets the account's status: any of the three, a closed account included (reactivation). Suspending or
    /// closing needs a reason, which the account's members and the audit trail see. Setting the current status again is refused,
    /// so every accepted change is a real transition (and one audit record, one event).
    /// </summary>
    public Result<Success> ChangeStatus(AccountStatus status, string? reason, DateTime now)
    {
        if (!Enum.IsDefined(status))
        {
            return Error.Validation("validation_failed", $"Unknown status '{status}'.");
        }

        if (status == Status)
        {
            return Error.Conflict("account_status_unchanged", $"The account is already {ToCamel(Status)}.");
        }

        if (status != AccountStatus.Active && string.IsNullOrWhiteSpace(reason))
        {
            return Error.BusinessRule(
                "status_reason_required",
                $"A reason is required to make the account {ToCamel(status)}.",
                new Dictionary<string, string[]> { ["reason"] = ["A reason is required for this status."] });
        }

        Status = status;
        StatusReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        StatusChangedAt = now;
        return Success.Value;
    }

    /// <summary>
    /// A Global admin closes their own account, confirming it by typing its current legal name exactly (surrounding spaces aside),
    /// so a script or a slip cannot close the wrong account. Only closure is theirs to decide: suspension and reactivation are
    /// the operators'.
    /// </summary>
    public Result<Success> CloseByOwner(AccountStatus requested, string? confirmLegalName, string currentLegalName, DateTime now)
    {
        if (requested != AccountStatus.Closed)
        {
            return Error.Forbidden("operator_required", "Only platform operators may suspend or reactivate an account; Global admins may close it.");
        }

        if (string.IsNullOrWhiteSpace(confirmLegalName) || !string.Equals(confirmLegalName.Trim(), currentLegalName.Trim(), StringComparison.Ordinal))
        {
            return Error.BusinessRule(
                "legal_name_confirmation_mismatch",
                "To close the account, send 'confirmLegalName' with the account's current legal name exactly.",
                new Dictionary<string, string[]> { ["confirmLegalName"] = ["Must equal the account's current legal name."] });
        }

        return ChangeStatus(AccountStatus.Closed, "Closed by a Global admin of the account.", now);
    }

    /// <summary>Whether removing a Global admin leaves at least one.</summary>
    public static Result<Success> CanRemoveGlobalAdmin(int globalAdmins) => globalAdmins > 1
        ? Success.Value
        : Error.Conflict("last_global_admin", "The account must keep at least one Global admin.");

    /// <summary>The legal identity changed, so what was verified no longer holds.</summary>
    public void RestartVerification(DateTime now)
    {
        if (VerificationStatus == VerificationStatus.Pending && VerificationReason is null)
        {
            return;
        }

        VerificationStatus = VerificationStatus.Pending;
        VerificationReason = null;
        VerificationUpdatedAt = now;
        Version++;
    }

    /// <summary>
    /// Allows removing one of the account's <paramref name="locationsOfAccount"/> locations (never the last one). The account's
    /// version moves with every removal, so two removals that counted the same locations cannot both be saved.
    /// </summary>
    public Result<Success> RemoveLocation(int locationsOfAccount)
    {
        var allowed = Location.CanDelete(locationsOfAccount);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        TouchGuard();
        return Success.Value;
    }

    private static string ToCamel(Enum status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
