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

namespace PartnerAccounts.Application.Programs.WithdrawEnrollment;

/// <summary>Withdraws a pending or active enrollment (If-Match); it stays readable with status <c>withdrawn</c>.</summary>
public sealed record WithdrawEnrollmentCommand(Guid AccountId, string ProgramId, IfMatch IfMatch) : ICommand<Result<Versioned<EnrollmentDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProgramsEnroll;
}

public sealed class WithdrawEnrollmentHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<WithdrawEnrollmentCommand, Result<Versioned<EnrollmentDto>>>
{
    public async ValueTask<Result<Versioned<EnrollmentDto>>> Handle(WithdrawEnrollmentCommand command, CancellationToken cancellationToken)
    {
        if (ProgramCatalogue.Find(command.ProgramId) is not { } program)
        {
            return ProgramErrors.ProgramNotFound;
        }

        // A retry re-reads the enrollment: if only the account's guard moved it succeeds, if the enrollment moved If-Match fails.
        return await db.SaveWithRetriesAsync(ct => WithdrawAsync(command, program, ct), SaveRetries.ConcurrencyConflict, cancellationToken);
    }

    private async Task<Result<Versioned<EnrollmentDto>>> WithdrawAsync(WithdrawEnrollmentCommand command, ProgramDefinition program, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var enrollments = await db.Enrollments.Where(e => e.AccountId == command.AccountId).ToListAsync(cancellationToken);
        var enrollment = enrollments.FirstOrDefault(e => e.ProgramId == program.Id);
        if (enrollment is null)
        {
            return ProgramErrors.EnrollmentNotFound;
        }

        if (command.IfMatch.Check(enrollment.Version) is { } precondition)
        {
            return precondition;
        }

        var before = EnrollmentDto.From(enrollment);
        var withdrawn = enrollment.Withdraw(AccountEnrollments.FactsOf(account, enrollments), clock.UtcNow);
        if (!withdrawn.IsSuccess)
        {
            return withdrawn.Error!;
        }

        account.TouchGuard();
        var after = EnrollmentDto.From(enrollment);
        audit.Record(command.AccountId, "withdrawn", "enrollments", program.Id, before, after);
        return new Versioned<EnrollmentDto>(after, enrollment.Version);
    }
}
