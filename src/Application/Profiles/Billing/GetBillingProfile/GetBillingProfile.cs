using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Billing.GetBillingProfile;

public sealed record GetBillingProfileQuery(Guid AccountId) : IQuery<Result<Versioned<BillingProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.BillingRead;
}

public sealed class GetBillingProfileHandler(IAppDbContext db) : IQueryHandler<GetBillingProfileQuery, Result<Versioned<BillingProfileDto>>>
{
    public async ValueTask<Result<Versioned<BillingProfileDto>>> Handle(GetBillingProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.ReadAsync<BillingProfile, BillingProfileDto>(query.AccountId, BillingProfileDto.From, cancellationToken);
    }
}
