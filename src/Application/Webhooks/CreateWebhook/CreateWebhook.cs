using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Application.Webhooks.CreateWebhook;

/// <summary>Subscribes a receiver URL to event types; the signing secret is in this result only, the database keeps it protected.</summary>
public sealed record CreateWebhookCommand(Guid AccountId, string? Url, IReadOnlyList<string>? Events, bool? Enabled)
    : ICommand<Result<CreatedWebhookDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator() => this.ValidateWebhook(c => c.Url, c => c.Events, c => c.Enabled);
}

public sealed class CreateWebhookHandler(IAppDbContext db, IClock clock, ICurrentUser user, AuditTrail audit, ISecretProtector protector, IWebhookTargets targets, IssuedSecrets secrets)
    : ICommandHandler<CreateWebhookCommand, Result<CreatedWebhookDto>>
{
    public async ValueTask<Result<CreatedWebhookDto>> Handle(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var url = new Uri(command.Url!);
        if (await targets.CheckAsync(url, cancellationToken) is { } refused)
        {
            return refused;
        }

        var count = await db.Webhooks.CountAsync(w => w.AccountId == command.AccountId, cancellationToken);
        var allowed = Webhook.CanAdd(count);
        if (!allowed.IsSuccess)
        {
            return allowed.Error!;
        }

        var secret = WebhookSecret.Generate();
        var webhook = Webhook.Create(
            Guid.CreateVersion7(), command.AccountId, url.AbsoluteUri, command.Events!, command.Enabled!.Value, protector.Protect(secret), user.Email ?? "system", clock.UtcNow);
        db.Webhooks.Add(webhook);
        var dto = WebhookDto.From(webhook);
        audit.Record(command.AccountId, "created", WebhookRules.AuditResource, webhook.Id.ToString(), null, dto);
        secrets.Record(new IssuedSecret(SecretKind.WebhookSecret, webhook.Id, webhook.SecretId));
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new CreatedWebhookDto(dto, webhook.Version, secret) : saved.Error!;
    }
}
