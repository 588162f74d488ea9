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

namespace PartnerAccounts.Application.Programs.Enroll;

/// <summary>
/// Enrolls the account in a program (status <c>pending</c>, for a platform operator to decide), or enrolls it again after a
/// withdrawal or a rejection. Every missing prerequisite is reported at once (422 <c>program_prerequisite_missing</c>).
/// <para>
/// Verification: an account's verification starts (<c>pending</c>) when the account is created, so enrolling an account that
/// is not yet verified leaves its verification where it is — <c>pending</c> until an operator reviews it; enrolling never
/// takes the operator's decision (<c>inReview</c>, <c>verified</c>, ...). A rejected verification blocks the programs that need
/// a verified account (CSP, Control Panel Vendor); the others can still be enrolled in.
/// </para>
/// </summary>
public sealed record EnrollCommand(Guid AccountId, string? ProgramId) : ICommand<Result<Versioned<EnrollmentDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProgramsEnroll;
}

public sealed class EnrollCommandValidator : AbstractValidator<EnrollCommand>
{
    public EnrollCommandValidator() => RuleFor(c => c.ProgramId).NotEmpty().MaximumLength(ProgramCatalogue.MaxIdLength);
}

public sealed class EnrollHandler(IAppDbContext db, IClock clock, AccountAccess access, AuditTrail audit)
    : ICommandHandler<EnrollCommand, Result<Versioned<EnrollmentDto>>>
{
    public async ValueTask<Result<Versioned<EnrollmentDto>>> Handle(EnrollCommand command, CancellationToken cancellationToken)
    {
        if (ProgramCatalogue.Find(command.ProgramId) is not { } program)
        {
            return ProgramErrors.ProgramNotFound;
        }

        // Two requests enrolling at once race for the same row (unique key) or the account's guard (concurrency token);
        // the loser stages again from what is stored now and finds the account already enrolled.
        return await db.SaveWithRetriesAsync(
            ct => EnrollAsync(command.AccountId, program, ct),
            [SaveRetries.UniqueConflict, SaveRetries.ConcurrencyConflict],
            cancellationToken);
    }

    private async Task<Result<Versioned<EnrollmentDto>>> EnrollAsync(Guid accountId, ProgramDefinition program, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var account = await db.Accounts.FirstAsync(a => a.Id == accountId, cancellationToken);
        var enrollments = await db.Enrollments.Where(e => e.AccountId == accountId).ToListAsync(cancellationToken);
        var facts = AccountEnrollments.FactsOf(account, enrollments);
        var enrollerIsGlobalAdmin = access.RoleIds.Contains(Roles.GlobalAdminId, StringComparer.Ordinal);

        var enrollment = enrollments.FirstOrDefault(e => e.ProgramId == program.Id);
        var before = enrollment is null ? null : EnrollmentDto.From(enrollment);
        if (enrollment is null)
        {
            var started = Enrollment.Start(accountId, program, facts, enrollerIsGlobalAdmin, now);
            if (!started.IsSuccess)
            {
                return started.Error!;
            }

            enrollment = started.Value;
            db.Enrollments.Add(enrollment);
        }
        else
        {
            var reenrolled = enrollment.Reenroll(program, facts, enrollerIsGlobalAdmin, now);
            if (!reenrolled.IsSuccess)
            {
                return reenrolled.Error!;
            }
        }

        // Enrollment changes serialize per account, so rules across programs (MPN and what depends on it, the areas that
        // make roles assignable) hold under concurrent requests.
        account.TouchGuard();
        var after = EnrollmentDto.From(enrollment);
        audit.Record(accountId, "enrolled", "enrollments", program.Id, before, after);
        return new Versioned<EnrollmentDto>(after, enrollment.Version);
    }
}
