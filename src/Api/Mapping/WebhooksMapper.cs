using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Events.ListEvents;
using PartnerAccounts.Application.Webhooks;
using PartnerAccounts.Application.Webhooks.CreateWebhook;
using PartnerAccounts.Application.Webhooks.ReplaceWebhook;
using Riok.Mapperly.Abstractions;

namespace PartnerAccounts.Api.Mapping;

/// <summary>Version 1 webhook and event contracts to and from the application's commands and read models.</summary>
[Mapper(EnumMappingStrategy = EnumMappingStrategy.ByName, RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class WebhooksMapper
{
    public static partial WebhookResponse ToResponse(this WebhookDto webhook);

    public static partial DeliveryResponse ToResponse(this DeliveryDto delivery);

    public static partial EventResponse ToResponse(this EventDto accountEvent);

    public static partial WebhookSecretResponse ToResponse(this RotatedWebhookSecretDto rotated);

    public static partial CreateWebhookCommand ToCreateCommand(this WebhookRequest request, Guid accountId);

    public static partial ReplaceWebhookCommand ToReplaceCommand(this WebhookRequest request, Guid accountId, Guid webhookId, IfMatch ifMatch);

    public static CreatedWebhookResponse ToResponse(this CreatedWebhookDto created)
    {
        var w = created.Webhook;
        return new(w.Id, w.Url, w.Events, w.Enabled, w.CreatedAt, w.SecretRotatedAt, w.PreviousSecretExpiresAt, created.Secret);
    }

    private static partial Contracts.V1.DeliveryStatus Map(Domain.Webhooks.DeliveryStatus status);
}
