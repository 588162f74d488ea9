using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Application.Accounts;

public sealed record AccountSummaryDto(
    Guid Id,
    string MpnId,
    string LegalName,
    string DisplayName,
    AccountStatus Status,
    VerificationStatus VerificationStatus,
    string? VerificationReason,
    IReadOnlyList<string> Programs,
    IReadOnlyList<string> SettingsAreas,
    DateTime CreatedAt);

internal static class AccountSummaries
{
    public static Task<AccountSummaryDto?> LoadAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        (from a in db.Accounts.AsNoTracking()
         join l in db.LegalBusinessProfiles on a.Id equals l.AccountId
         join o in db.OrganizationProfiles on a.Id equals o.AccountId
         where a.Id == accountId
         select new AccountSummaryDto(
             a.Id, a.MpnId, l.CompanyName, o.CompanyName, a.Status, a.VerificationStatus, a.VerificationReason,
             Array.Empty<string>(), Array.Empty<string>(), a.CreatedAt))
        .FirstOrDefaultAsync(cancellationToken);
}
