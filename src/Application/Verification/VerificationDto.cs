using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Application.Verification;


public sealed record VerificationDto(VerificationStatus Status, string? Reason, DateTime UpdatedAt)
{
    public static VerificationDto From(Account a) => new(a.VerificationStatus, a.VerificationReason, a.VerificationUpdatedAt);
}
