using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Locations.GetLocation;

public sealed record GetLocationQuery(Guid AccountId, Guid LocationId) : IQuery<Result<Versioned<LocationDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetLocationHandler(IAppDbContext db) : IQueryHandler<GetLocationQuery, Result<Versioned<LocationDto>>>
{
    public async ValueTask<Result<Versioned<LocationDto>>> Handle(GetLocationQuery query, CancellationToken cancellationToken)
    {
        // Scoped by account: another account's location id is as unknown here as a made-up one.
        var location = await db.Locations.AsNoTracking()
            .FirstOrDefaultAsync(l => l.Id == query.LocationId && l.AccountId == query.AccountId, cancellationToken);
        return location is null ? ProfileErrors.NotFound : new Versioned<LocationDto>(LocationDto.From(location), location.Version);
    }
}
