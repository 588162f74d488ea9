using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.LegalBusiness.GetLegalBusinessProfile;

public sealed record GetLegalBusinessProfileQuery(Guid AccountId) : IQuery<Result<Versioned<LegalBusinessProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetLegalBusinessProfileHandler(IAppDbContext db) : IQueryHandler<GetLegalBusinessProfileQuery, Result<Versioned<LegalBusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<LegalBusinessProfileDto>>> Handle(GetLegalBusinessProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.ReadAsync<LegalBusinessProfile, LegalBusinessProfileDto>(query.AccountId, LegalBusinessProfileDto.From, cancellationToken);
    }
}
