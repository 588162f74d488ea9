using System.Globalization;
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
        var position = tokens.Position(scope, query.Page);
        if (!position.IsSuccess)
        {
            return position.Error!;
        }

        var offset = position.Value is null ? 0 : int.Parse(position.Value, CultureInfo.InvariantCulture);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == query.AccountId)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Skip(offset)
            .Take(query.Page.Limit + 1)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);

        var items = keys.Select((k, i) => (Index: offset + i + 1, Dto: k)).ToList();
        var page = items.ToPage(query.Page, tokens, scope, x => x.Index.ToString(CultureInfo.InvariantCulture));
        return new Page<ApiKeyDto>([.. page.Items.Select(x => x.Dto)], page.ContinuationToken);
    }
}
