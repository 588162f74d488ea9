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
    private sealed record SummaryRow(
        Guid Id, string MpnId, string LegalName, string DisplayName, AccountStatus Status, VerificationStatus VerificationStatus,
        string? VerificationReason, DateTime CreatedAt);

    // Compiled once: the summary is what GET /v1/accounts/{id} answers.
    private static readonly Func<DbContext, Guid, CancellationToken, Task<SummaryRow?>> Row = EF.CompileAsyncQuery(
        (DbContext db, Guid accountId, CancellationToken _) => (
            from a in db.Set<Account>()
            join l in db.Set<LegalBusinessProfile>() on a.Id equals l.AccountId
            join o in db.Set<OrganizationProfile>() on a.Id equals o.AccountId
            where a.Id == accountId
            select new SummaryRow(a.Id, a.MpnId, l.CompanyName, o.CompanyName, a.Status, a.VerificationStatus, a.VerificationReason, a.CreatedAt))
            .FirstOrDefault());

    public static async Task<AccountSummaryDto?> LoadAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var row = await Row(db.Context(), accountId, cancellationToken);
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
