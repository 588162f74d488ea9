using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Locations.ListLocations;

/// <summary>The account's locations, oldest first (the headquarters the account was created with comes first).</summary>
public sealed record ListLocationsQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<LocationDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class ListLocationsQueryValidator : AbstractValidator<ListLocationsQuery>
{
    public ListLocationsQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListLocationsHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListLocationsQuery, Result<Page<LocationDto>>>
{
    public async ValueTask<Result<Page<LocationDto>>> Handle(ListLocationsQuery query, CancellationToken cancellationToken)
    {
        var scope = $"accounts/{query.AccountId}/locations";
        var page = await db.Locations.AsNoTracking()
            .Where(l => l.AccountId == query.AccountId)
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
        return page.Map(p => p.Map(LocationDto.From));
    }
}
