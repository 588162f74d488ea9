using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.DeleteWebhook;

/// <summary>Deletes a webhook (If-Match) with its deliveries; nothing more is sent to it.</summary>
public sealed record DeleteWebhookCommand(Guid AccountId, Guid WebhookId, IfMatch IfMatch) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class DeleteWebhookHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<DeleteWebhookCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken)
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

        db.Webhooks.Remove(webhook);
        audit.Record(command.AccountId, "deleted", WebhookRules.AuditResource, webhook.Id.ToString(), WebhookDto.From(webhook), null);
        return await db.SaveAsync(cancellationToken);
    }
}
