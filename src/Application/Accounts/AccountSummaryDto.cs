using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts;

/// <summary>The account summary; with its live programs and settings areas a frontend builds its left navigation from it alone.</summary>
public sealed record AccountSummaryDto(
    Guid Id,
    string MpnId,
    string LegalName,
    string DisplayName,
    AccountStatus Status,
    VerificationStatus VerificationStatus,
    string? VerificationReason,
    IReadOnlyList<EnrolledProgramDto> Programs,
    IReadOnlyList<SettingsArea> SettingsAreas,
    MpnIdPlacement MpnIdShownIn,
    DateTime CreatedAt);

internal static class AccountSummaries
{
    public static async Task<AccountSummaryDto?> LoadAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var row = await (
            from a in db.Accounts.AsNoTracking()
            join l in db.LegalBusinessProfiles on a.Id equals l.AccountId
            join o in db.OrganizationProfiles on a.Id equals o.AccountId
            where a.Id == accountId
            select new { a.Id, a.MpnId, LegalName = l.CompanyName, DisplayName = o.CompanyName, a.Status, a.VerificationStatus, a.VerificationReason, a.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var programs = (await AccountEnrollments.LiveAsync(db, [accountId], cancellationToken))[accountId].ToList();
        var settings = AccountSettings.Of(programs.Select(p => p.Id));
        return new AccountSummaryDto(
            row.Id, row.MpnId, row.LegalName, row.DisplayName, row.Status, row.VerificationStatus, row.VerificationReason,
            programs, settings.Areas, settings.MpnIdShownIn, row.CreatedAt);
    }
}
