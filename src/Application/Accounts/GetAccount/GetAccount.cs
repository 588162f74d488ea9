using Mediator;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Accounts.GetAccount;

public sealed record GetAccountQuery(Guid AccountId) : IQuery<Result<AccountSummaryDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetAccountHandler(IAppDbContext db) : IQueryHandler<GetAccountQuery, Result<AccountSummaryDto>>
{
    public async ValueTask<Result<AccountSummaryDto>> Handle(GetAccountQuery query, CancellationToken cancellationToken)
    {
        var summary = await AccountSummaries.LoadAsync(db, query.AccountId, cancellationToken);
        return summary is null ? Error.NotFound("account_not_found", "The account does not exist or you are not a member of it.") : summary;
    }
}
