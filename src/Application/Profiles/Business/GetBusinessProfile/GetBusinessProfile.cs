using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Business.GetBusinessProfile;

public sealed record GetBusinessProfileQuery(Guid AccountId) : IQuery<Result<Versioned<BusinessProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetBusinessProfileHandler(IAppDbContext db) : IQueryHandler<GetBusinessProfileQuery, Result<Versioned<BusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<BusinessProfileDto>>> Handle(GetBusinessProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.ReadAsync<BusinessProfile, BusinessProfileDto>(query.AccountId, BusinessProfileDto.From, cancellationToken);
    }
}
