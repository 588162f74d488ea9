using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.ChangeAccountStatus;

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
