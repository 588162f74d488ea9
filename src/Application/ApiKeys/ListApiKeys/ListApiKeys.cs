using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.ApiKeys.ListApiKeys;

/// <summary>The account's API keys, oldest first: name, prefix, creation and last use, never a secret.</summary>
public sealed record ListApiKeysQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<ApiKeyDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ApiKeysManage;
}

public sealed class ListApiKeysQueryValidator : AbstractValidator<ListApiKeysQuery>
{
    public ListApiKeysQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListApiKeysHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListApiKeysQuery, Result<Page<ApiKeyDto>>>
{
    public async ValueTask<Result<Page<ApiKeyDto>>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken)
    {
        var scope = $"accounts/{query.AccountId}/api-keys";
        return await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == query.AccountId)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt))
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
    }
}
