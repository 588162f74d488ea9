using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Persistence;
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

        // The account's place is unique: two creations taking the same free place at once lose only the unique-key race and
        // retry against what is stored now. A creation loses at most once per place taken meanwhile, so it may retry up to the
        // limit (then it finds the limit reached).
        return await db.SaveWithRetriesAsync(
            ct => StageAsync(command, url, ct), SaveRetries.UniqueConflict, cancellationToken, attempts: Webhook.MaxPerAccount + 1);
    }

    private async Task<Result<CreatedWebhookDto>> StageAsync(CreateWebhookCommand command, Uri url, CancellationToken cancellationToken)
    {
        var taken = await db.Webhooks.Where(w => w.AccountId == command.AccountId).Select(w => w.Slot).ToListAsync(cancellationToken);
        if (AccountSlots.PickFree(taken, Webhook.MaxPerAccount) is not { } slot)
        {
            return Webhook.LimitReached;
        }

        var secret = WebhookSecret.Generate();
        var webhook = Webhook.Create(
            Ids.NewVersion7(), command.AccountId, slot, url.AbsoluteUri, command.Events!, command.Enabled!.Value, protector.Protect(secret), user.Email ?? "system", clock.UtcNow);
        db.Webhooks.Add(webhook);
        var dto = WebhookDto.From(webhook);
        audit.Record(command.AccountId, "created", WebhookRules.AuditResource, webhook.Id.ToString(), null, dto);
        secrets.Record(new IssuedSecret(SecretKind.WebhookSecret, webhook.Id, webhook.SecretId));
        return new CreatedWebhookDto(dto, webhook.Version, secret);
    }
}
