using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.Redeliver;

/// <summary>Sends a delivery's message again, as a new delivery with the same <c>webhook-id</c>, tried at once.</summary>
public sealed record RedeliverCommand(Guid AccountId, Guid WebhookId, Guid DeliveryId) : ICommand<Result<DeliveryDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class RedeliverHandler(IAppDbContext db, IClock clock, IWebhookWorkerSignal worker) : ICommandHandler<RedeliverCommand, Result<DeliveryDto>>
{
    public async ValueTask<Result<DeliveryDto>> Handle(RedeliverCommand command, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == command.DeliveryId && d.WebhookId == command.WebhookId && d.AccountId == command.AccountId, cancellationToken);
        if (delivery is null)
        {
            return WebhookRules.DeliveryNotFound;
        }

        var again = delivery.Redeliver(Ids.NewVersion7(), clock.UtcNow);
        db.WebhookDeliveries.Add(again);
        var saved = await db.SaveAsync(cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error!;
        }

        worker.Wake();
        return DeliveryDto.From(again);
    }
}
