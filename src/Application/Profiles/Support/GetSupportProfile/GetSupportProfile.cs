using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Support.GetSupportProfile;

public sealed record GetSupportProfileQuery(Guid AccountId) : IQuery<Result<Versioned<SupportProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetSupportProfileHandler(IAppDbContext db) : IQueryHandler<GetSupportProfileQuery, Result<Versioned<SupportProfileDto>>>
{
    public async ValueTask<Result<Versioned<SupportProfileDto>>> Handle(GetSupportProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.ReadAsync<SupportProfile, SupportProfileDto>(query.AccountId, SupportProfileDto.From, cancellationToken);
    }
}
