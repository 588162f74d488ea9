using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.ReplaceWebhook;

/// <summary>Replaces a webhook's URL, event types and enabled flag (If-Match); its secret stays.</summary>
public sealed record ReplaceWebhookCommand(Guid AccountId, Guid WebhookId, IfMatch IfMatch, string? Url, IReadOnlyList<string>? Events, bool? Enabled)
    : ICommand<Result<Versioned<WebhookDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class ReplaceWebhookCommandValidator : AbstractValidator<ReplaceWebhookCommand>
{
    public ReplaceWebhookCommandValidator() => this.ValidateWebhook(c => c.Url, c => c.Events, c => c.Enabled);
}

public sealed class ReplaceWebhookHandler(IAppDbContext db, AuditTrail audit, IWebhookTargets targets) : ICommandHandler<ReplaceWebhookCommand, Result<Versioned<WebhookDto>>>
{
    public async ValueTask<Result<Versioned<WebhookDto>>> Handle(ReplaceWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == command.WebhookId && w.AccountId == command.AccountId, cancellationToken);
        if (webhook is null)
        {
            return WebhookRules.NotFound;
        }

        if (command.IfMatch.Check(webhook.Version) is { } precondition)
        {
            return precondition;
        }

        var url = new Uri(command.Url!);
        if (await targets.CheckAsync(url, cancellationToken) is { } refused)
        {
            return refused;
        }

        var before = WebhookDto.From(webhook);
        webhook.Replace(url.AbsoluteUri, command.Events!, command.Enabled!.Value);
        var after = WebhookDto.From(webhook);
        audit.Record(command.AccountId, "updated", WebhookRules.AuditResource, webhook.Id.ToString(), before, after);
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<WebhookDto>(after, webhook.Version) : saved.Error!;
    }
}
