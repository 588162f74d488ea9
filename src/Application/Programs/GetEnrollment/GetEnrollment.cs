using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Programs.GetEnrollment;

public sealed record GetEnrollmentQuery(Guid AccountId, string ProgramId) : IQuery<Result<Versioned<EnrollmentDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetEnrollmentHandler(IAppDbContext db) : IQueryHandler<GetEnrollmentQuery, Result<Versioned<EnrollmentDto>>>
{
    public async ValueTask<Result<Versioned<EnrollmentDto>>> Handle(GetEnrollmentQuery query, CancellationToken cancellationToken)
    {
        if (ProgramCatalogue.Find(query.ProgramId) is not { } program)
        {
            return ProgramErrors.ProgramNotFound;
        }

        var enrollment = await db.Enrollments.AsNoTracking()
            .FirstOrDefaultAsync(e => e.AccountId == query.AccountId && e.ProgramId == program.Id, cancellationToken);
        return enrollment is null ? ProgramErrors.EnrollmentNotFound : new Versioned<EnrollmentDto>(EnrollmentDto.From(enrollment), enrollment.Version);
    }
}
