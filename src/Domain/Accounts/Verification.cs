using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Accounts;

public enum VerificationStatus
{
    Pending,
    InReview,
    Verified,
    Rejected,
    ActionRequired,
}

public static class VerificationRules
{
    /// <summary>The decisions a platform operator may take from each status. Going back to pending is not a decision: it follows a change of legal name or address.</summary>
    public static bool CanMove(VerificationStatus from, VerificationStatus to) => (from, to) switch
    {
        (_, VerificationStatus.Pending) => false,
        (VerificationStatus.Pending, _) => true,
        (VerificationStatus.InReview, _) => to != VerificationStatus.InReview,
        (VerificationStatus.ActionRequired, _) => to != VerificationStatus.ActionRequired,
        (VerificationStatus.Rejected, VerificationStatus.InReview) => true,
        (VerificationStatus.Verified, VerificationStatus.Rejected) => true,
        _ => false,
    };

    public static bool RequiresReason(VerificationStatus status) =>
        status is VerificationStatus.Rejected or VerificationStatus.ActionRequired;
}
