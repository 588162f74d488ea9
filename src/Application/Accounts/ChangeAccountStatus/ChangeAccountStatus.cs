using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.ChangeStatus;

public sealed record AccountStatusDto(AccountStatus Status, string? Reason, DateTime ChangedAt)
{
    public static AccountStatusDto From(Account account) => new(account.Status, account.StatusReason, account.StatusChangedAt);
}

/// <summary>A platform operator sets the account's status (any of active, suspended, closed).</summary>
public sealed record ChangeAccountStatusCommand(Guid AccountId, AccountStatus? Status, string? Reason)
    : ICommand<Result<AccountStatusDto>>, IOperatorRequest, IAccountStatusRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class ChangeAccountStatusCommandValidator : AbstractValidator<ChangeAccountStatusCommand>
{
    public ChangeAccountStatusCommandValidator()
    {
        RuleFor(c => c.Status).NotNull().IsInEnum();
        RuleFor(c => c.Reason).MaximumLength(FieldLimits.StatusReason);
    }
}

public sealed class ChangeAccountStatusHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ChangeAccountStatusCommand, Result<AccountStatusDto>>
{
    public async ValueTask<Result<AccountStatusDto>> Handle(ChangeAccountStatusCommand command, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == command.AccountId, cancellationToken);
        return account is null
            ? AccountStatusChanges.AccountNotFound
            : await AccountStatusChanges.SaveAsync(db, audit, account, account.ChangeStatus(command.Status!.Value, command.Reason, clock.UtcNow), cancellationToken);
    }
}

/// <summary>A Global admin closes their own account, confirming it with the account's current legal name.</summary>
public sealed record CloseAccountCommand(Guid AccountId, AccountStatus? Status, string? ConfirmLegalName)
    : ICommand<Result<AccountStatusDto>>, IAccountStatusRequest
{
    public Permission RequiredPermission => Permission.AccountClose;
}

public sealed class CloseAccountCommandValidator : AbstractValidator<CloseAccountCommand>
{
    public CloseAccountCommandValidator()
    {
        RuleFor(c => c.Status).NotNull().IsInEnum();
        RuleFor(c => c.ConfirmLegalName).MaximumLength(FieldLimits.CompanyName);
    }
}

public sealed class CloseAccountHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<CloseAccountCommand, Result<AccountStatusDto>>
{
    public async ValueTask<Result<AccountStatusDto>> Handle(CloseAccountCommand command, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == command.AccountId, cancellationToken);
        var legalName = await db.LegalBusinessProfiles.AsNoTracking()
            .Where(p => p.AccountId == command.AccountId)
            .Select(p => p.CompanyName)
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null || legalName is null)
        {
            return AccountStatusChanges.AccountNotFound;
        }

        var closed = account.CloseByOwner(command.Status!.Value, command.ConfirmLegalName, legalName, clock.UtcNow);
        return await AccountStatusChanges.SaveAsync(db, audit, account, closed, cancellationToken);
    }
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
