using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Webhooks.ListDeliveries;

/// <summary>A webhook's delivery log, newest first: attempts, status, the last response's status and duration, the next attempt.</summary>
public sealed record ListDeliveriesQuery(Guid AccountId, Guid WebhookId, PageRequest Page) : IQuery<Result<Page<DeliveryDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class ListDeliveriesQueryValidator : AbstractValidator<ListDeliveriesQuery>
{
    public ListDeliveriesQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListDeliveriesHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListDeliveriesQuery, Result<Page<DeliveryDto>>>
{
    public async ValueTask<Result<Page<DeliveryDto>>> Handle(ListDeliveriesQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Webhooks.AsNoTracking().AnyAsync(w => w.Id == query.WebhookId && w.AccountId == query.AccountId, cancellationToken))
        {
            return WebhookRules.NotFound;
        }

        // Ids are version 7 GUIDs: newest first is descending id, stable while new deliveries arrive only at the front.
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.WebhookId == query.WebhookId && d.AccountId == query.AccountId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Select(DeliveryDto.Projection)
            .ToOffsetPageAsync(tokens, $"accounts/{query.AccountId}/webhooks/{query.WebhookId}/deliveries", query.Page, cancellationToken);
    }
}
