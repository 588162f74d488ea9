using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Events.ListEvents;

/// <summary>An event as the feed shows it; <see cref="Cursor"/> is what to pass as <c>after</c> to read the events that follow it.</summary>
public sealed record EventDto(Guid Id, string Type, DateTime Timestamp, JsonElement Data, string Cursor);

/// <summary>
/// The account's events, oldest first, after <see cref="After"/> (an event's cursor) or from the oldest kept. The same events
/// the webhooks receive, in the order the dispatcher published them (so a poller never skips one committed late).
/// </summary>
public sealed record ListEventsQuery(Guid AccountId, string? After, PageRequest Page) : IQuery<Result<Page<EventDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.WebhooksManage;
}

public sealed class ListEventsQueryValidator : AbstractValidator<ListEventsQuery>
{
    public ListEventsQueryValidator()
    {
        RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
        RuleFor(q => q.After).MaximumLength(1024);
    }
}

public sealed class ListEventsHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListEventsQuery, Result<Page<EventDto>>>
{
    public static readonly Error InvalidCursor = Error.Validation(
        "invalid_cursor",
        "The cursor is not valid for this account's events.",
        new Dictionary<string, string[]> { ["after"] = ["Pass the cursor of an event from this account's feed."] });

    public async ValueTask<Result<Page<EventDto>>> Handle(ListEventsQuery query, CancellationToken cancellationToken)
    {
        var scope = $"accounts/{query.AccountId}/events";
        var position = tokens.Position(scope, query.Page);
        if (!position.IsSuccess)
        {
            return position.Error!;
        }

        var cursor = position.Value;
        if (cursor is null && query.After is not null)
        {
            cursor = tokens.Read(scope, query.After);
            if (cursor is null)
            {
                return InvalidCursor;
            }
        }

        long after = 0;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return InvalidCursor;
        }

        var rows = await db.Events.AsNoTracking()
            .Where(e => e.AccountId == query.AccountId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(query.Page.Limit + 1)
            .Select(e => new { e.Id, e.Type, e.OccurredAt, e.Data, Sequence = e.Sequence!.Value })
            .ToListAsync(cancellationToken);
        var events = rows.Take(query.Page.Limit).Select(e =>
        {
            using var data = JsonDocument.Parse(e.Data);
            return new EventDto(e.Id, e.Type, e.OccurredAt, data.RootElement.Clone(), tokens.Create(scope, e.Sequence.ToString(CultureInfo.InvariantCulture)));
        }).ToList();

        // A page's continuation token is its last event's cursor: "after" and "continuationToken" name the same position.
        return new Page<EventDto>(events, rows.Count > query.Page.Limit ? events[^1].Cursor : null);
    }
}
