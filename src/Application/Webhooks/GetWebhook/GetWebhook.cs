using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.GetWebhook;

public sealed record GetWebhookQuery(Guid AccountId, Guid WebhookId) : IQuery<Result<Versioned<WebhookDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class GetWebhookHandler(IAppDbContext db) : IQueryHandler<GetWebhookQuery, Result<Versioned<WebhookDto>>>
{
    public async ValueTask<Result<Versioned<WebhookDto>>> Handle(GetWebhookQuery query, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == query.WebhookId && w.AccountId == query.AccountId, cancellationToken);
        return webhook is null ? WebhookRules.NotFound : new Versioned<WebhookDto>(WebhookDto.From(webhook), webhook.Version);
    }
}
