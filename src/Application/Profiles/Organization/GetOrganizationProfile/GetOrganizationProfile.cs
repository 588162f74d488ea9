using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Organization.GetOrganizationProfile;

public sealed record GetOrganizationProfileQuery(Guid AccountId) : IQuery<Result<Versioned<OrganizationProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetOrganizationProfileHandler(IAppDbContext db) : IQueryHandler<GetOrganizationProfileQuery, Result<Versioned<OrganizationProfileDto>>>
{
    public async ValueTask<Result<Versioned<OrganizationProfileDto>>> Handle(GetOrganizationProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.ReadAsync<OrganizationProfile, OrganizationProfileDto>(query.AccountId, OrganizationProfileDto.From, cancellationToken);
    }
}
