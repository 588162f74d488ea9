using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Programs.DecideEnrollment;

/// <summary>A platform operator decides a pending enrollment: <c>active</c> or <c>rejected</c> (with a reason).</summary>
public sealed record DecideEnrollmentCommand(Guid AccountId, string ProgramId, EnrollmentStatus? Status, string? Reason)
    : ICommand<Result<Versioned<EnrollmentDto>>>, IOperatorRequest
{
    public Permission RequiredPermission => Permission.ProgramsEnroll;
}

public sealed class DecideEnrollmentCommandValidator : AbstractValidator<DecideEnrollmentCommand>
{
    public DecideEnrollmentCommandValidator()
    {
        RuleFor(c => c.Status).NotNull().Must(s => s is null or EnrollmentStatus.Active or EnrollmentStatus.Rejected)
            .WithMessage("'Status' must be active or rejected.");
        RuleFor(c => c.Reason).MaximumLength(FieldLimits.EnrollmentReason);
    }
}

public sealed class DecideEnrollmentHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<DecideEnrollmentCommand, Result<Versioned<EnrollmentDto>>>
{
    public async ValueTask<Result<Versioned<EnrollmentDto>>> Handle(DecideEnrollmentCommand command, CancellationToken cancellationToken)
    {
        if (ProgramCatalogue.Find(command.ProgramId) is not { } program)
        {
            return ProgramErrors.ProgramNotFound;
        }

        return await db.SaveWithRetriesAsync(ct => DecideAsync(command, program, ct), SaveRetries.ConcurrencyConflict, cancellationToken);
    }

    private async Task<Result<Versioned<EnrollmentDto>>> DecideAsync(DecideEnrollmentCommand command, ProgramDefinition program, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var enrollments = await db.Enrollments.Where(e => e.AccountId == command.AccountId).ToListAsync(cancellationToken);
        var enrollment = enrollments.FirstOrDefault(e => e.ProgramId == program.Id);
        if (enrollment is null)
        {
            return ProgramErrors.EnrollmentNotFound;
        }

        var before = EnrollmentDto.From(enrollment);
        var decided = enrollment.Decide(command.Status!.Value, command.Reason, program, AccountEnrollments.FactsOf(account, enrollments), clock.UtcNow);
        if (!decided.IsSuccess)
        {
            return decided.Error!;
        }

        account.TouchGuard();
        var after = EnrollmentDto.From(enrollment);
        audit.Record(command.AccountId, "enrollmentDecided", "enrollments", program.Id, before, after);
        return new Versioned<EnrollmentDto>(after, enrollment.Version);
    }
}
