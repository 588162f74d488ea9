using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.ApiKeys.GetApiKey;

public sealed record GetApiKeyQuery(Guid AccountId, Guid KeyId) : IQuery<Result<ApiKeyDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ApiKeysManage;
}

public sealed class GetApiKeyHandler(IAppDbContext db) : IQueryHandler<GetApiKeyQuery, Result<ApiKeyDto>>
{
    public async ValueTask<Result<ApiKeyDto>> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == query.KeyId && k.AccountId == query.AccountId)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt))
            .FirstOrDefaultAsync(cancellationToken);
        return key is null ? ApiKeyRules.NotFound : key;
    }
}
