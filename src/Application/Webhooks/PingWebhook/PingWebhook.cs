using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Application.Webhooks.PingWebhook;

/// <summary>Sends a <c>webhook.ping</c> message to one webhook (enabled or not), to check the receiver and its signature verification.</summary>
public sealed record PingWebhookCommand(Guid AccountId, Guid WebhookId) : ICommand<Result<DeliveryDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class PingWebhookHandler(IAppDbContext db, IClock clock, IWebhookWorkerSignal worker) : ICommandHandler<PingWebhookCommand, Result<DeliveryDto>>
{
    public async ValueTask<Result<DeliveryDto>> Handle(PingWebhookCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Webhooks.AsNoTracking().AnyAsync(w => w.Id == command.WebhookId && w.AccountId == command.AccountId, cancellationToken))
        {
            return WebhookRules.NotFound;
        }

        var now = clock.UtcNow;
        var payload = JsonSerializer.Serialize(new WebhookPayload(EventTypes.Ping, now, JsonSerializer.SerializeToElement(new { accountId = command.AccountId, webhookId = command.WebhookId })), WebhookPayload.JsonOptions);
        var ping = WebhookDelivery.Create(Ids.NewVersion7(), command.WebhookId, command.AccountId, Ids.NewVersion7(), EventTypes.Ping, payload, now);
        db.WebhookDeliveries.Add(ping);
        var saved = await db.SaveAsync(cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error!;
        }

        worker.Wake();
        return DeliveryDto.From(ping);
    }
}
