using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Application.Webhooks.RotateWebhookSecret;

/// <summary>
/// Issues a new signing secret (in this result only). Deliveries carry a signature with each of the new and the previous secret
/// for the next 24 hours, so the receiver can switch at its own pace; a second rotation drops the oldest.
/// </summary>
public sealed record RotateWebhookSecretCommand(Guid AccountId, Guid WebhookId) : ICommand<Result<RotatedWebhookSecretDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class RotateWebhookSecretHandler(IAppDbContext db, IClock clock, AuditTrail audit, ISecretProtector protector, IssuedSecrets secrets)
    : ICommandHandler<RotateWebhookSecretCommand, Result<RotatedWebhookSecretDto>>
{
    public async ValueTask<Result<RotatedWebhookSecretDto>> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == command.WebhookId && w.AccountId == command.AccountId, cancellationToken);
        if (webhook is null)
        {
            return WebhookRules.NotFound;
        }

        var secret = WebhookSecret.Generate();
        var now = clock.UtcNow;
        webhook.RotateSecret(protector.Protect(secret), now);
        audit.Record(command.AccountId, "secretRotated", WebhookRules.AuditResource, webhook.Id.ToString(), null, new { webhook.SecretRotatedAt, webhook.PreviousSecretExpiresAt });
        secrets.Record(new IssuedSecret(SecretKind.WebhookSecret, webhook.Id, webhook.SecretId));
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new RotatedWebhookSecretDto(webhook.Id, secret, webhook.PreviousSecretExpiresAt!.Value) : saved.Error!;
    }
}
