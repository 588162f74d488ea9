using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Programs.ListEnrollments;

/// <summary>Every enrollment the account ever made (whatever its status), in catalogue order.</summary>
public sealed record ListEnrollmentsQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<EnrollmentDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class ListEnrollmentsQueryValidator : AbstractValidator<ListEnrollmentsQuery>
{
    public ListEnrollmentsQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListEnrollmentsHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListEnrollmentsQuery, Result<Page<EnrollmentDto>>>
{
    public async ValueTask<Result<Page<EnrollmentDto>>> Handle(ListEnrollmentsQuery query, CancellationToken cancellationToken)
    {
        var scope = $"enrollments:{query.AccountId}";
        // An account has at most one row per program of the small fixed catalogue, so it is read whole and paged in memory.
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.AccountId == query.AccountId).ToListAsync(cancellationToken);
        return enrollments
            .Where(e => ProgramCatalogue.Find(e.ProgramId) is not null)
            .OrderBy(e => ProgramCatalogue.PositionOf(e.ProgramId))
            .Select(EnrollmentDto.From)
            .ToOffsetPage(tokens, scope, query.Page);
    }
}
