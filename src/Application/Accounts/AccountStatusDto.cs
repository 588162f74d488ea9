using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Accounts;


public sealed record AccountStatusDto(AccountStatus Status, string? Reason, DateTime ChangedAt)
{
    public static AccountStatusDto From(Account account) => new(account.Status, account.StatusReason, account.StatusChangedAt);
}

internal static class AccountStatusChanges
{
    public static readonly Error AccountNotFound = Error.NotFound("account_not_found", "The account does not exist or you are not a member of it.");

    /// <summary>
    /// Saves an accepted change with its audit record (action <c>statusChanged</c>, resource <c>account</c>, before <c>{status}</c>,
    /// after <c>{status, reason}</c>; the events feed turns it into <c>account.status.changed</c>). The MPN ID and API key caches
    /// are invalidated by the save itself (a changed <see cref="Account.Status"/> is a cache change).
    /// </summary>
    public static async Task<Result<AccountStatusDto>> SaveAsync(
        IAppDbContext db, AuditTrail audit, Account account, Result<Success> change, CancellationToken cancellationToken)
    {
        var before = db.Accounts.Entry(account).Property(a => a.Status).OriginalValue;
        if (!change.IsSuccess)
        {
            return change.Error!;
        }

        audit.Record(account.Id, "statusChanged", "account", null, new { status = before }, new { status = account.Status, reason = account.StatusReason });
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? AccountStatusDto.From(account) : saved.Error!;
    }
}
