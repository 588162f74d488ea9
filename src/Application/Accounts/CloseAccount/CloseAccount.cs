using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.CloseAccount;

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
