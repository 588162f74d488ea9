using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.ListWebhooks;

/// <summary>The account's webhooks, oldest first, never a secret.</summary>
public sealed record ListWebhooksQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<WebhookDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class ListWebhooksQueryValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListWebhooksHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListWebhooksQuery, Result<Page<WebhookDto>>>
{
    public async ValueTask<Result<Page<WebhookDto>>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken)
    {
        var page = await db.Webhooks.AsNoTracking()
            .Where(w => w.AccountId == query.AccountId)
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .ToOffsetPageAsync(tokens, $"accounts/{query.AccountId}/webhooks", query.Page, cancellationToken);
        return page.Map(p => p.Map(WebhookDto.From));
    }
}
