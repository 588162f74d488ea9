using System.Globalization;
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
        var position = tokens.Position(scope, query.Page);
        if (!position.IsSuccess)
        {
            return position.Error!;
        }

        var offset = position.Value is null ? 0 : int.Parse(position.Value, CultureInfo.InvariantCulture);
        var locations = await db.Locations.AsNoTracking()
            .Where(l => l.AccountId == query.AccountId)
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(offset)
            .Take(query.Page.Limit + 1)
            .ToListAsync(cancellationToken);

        var items = locations.Select((l, i) => (Index: offset + i + 1, Dto: LocationDto.From(l))).ToList();
        var page = items.ToPage(query.Page, tokens, scope, x => x.Index.ToString(CultureInfo.InvariantCulture));
        return new Page<LocationDto>([.. page.Items.Select(x => x.Dto)], page.ContinuationToken);
    }
}
