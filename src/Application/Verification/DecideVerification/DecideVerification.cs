using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Verification.DecideVerification;

/// <summary>A platform operator decides the account's verification.</summary>
public sealed record DecideVerificationCommand(Guid AccountId, VerificationStatus? Status, string? Reason)
    : ICommand<Result<Versioned<VerificationDto>>>, IOperatorRequest
{
    public Permission RequiredPermission => Permission.VerificationRead;
}

public sealed class DecideVerificationCommandValidator : AbstractValidator<DecideVerificationCommand>
{
    public DecideVerificationCommandValidator()
    {
        RuleFor(c => c.Status).NotNull().IsInEnum().NotEqual(VerificationStatus.Pending)
            .WithMessage("'Status' must be one of inReview, verified, rejected, actionRequired.");
        RuleFor(c => c.Reason).MaximumLength(FieldLimits.VerificationReason);
    }
}

public sealed class DecideVerificationHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<DecideVerificationCommand, Result<Versioned<VerificationDto>>>
{
    public async ValueTask<Result<Versioned<VerificationDto>>> Handle(DecideVerificationCommand command, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == command.AccountId, cancellationToken);
        if (account is null)
        {
            return ProfileErrors.NotFound;
        }

        var before = VerificationDto.From(account);
        var decided = account.DecideVerification(command.Status!.Value, command.Reason, clock.UtcNow);
        if (!decided.IsSuccess)
        {
            return decided.Error!;
        }

        var after = VerificationDto.From(account);
        audit.Record(command.AccountId, "verificationDecided", "verification", null, before, after);
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<VerificationDto>(after, account.Version) : saved.Error!;
    }
}
