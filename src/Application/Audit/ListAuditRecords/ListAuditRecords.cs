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

namespace PartnerAccounts.Application.Audit.ListAuditRecords;

/// <summary>One change as the API shows it; <see cref="Before"/> and <see cref="After"/> are the stored JSON snapshots, parsed.</summary>
public sealed record AuditRecordDto(
    long Id,
    DateTime OccurredAt,
    string Actor,
    string Action,
    string Resource,
    string? ResourceId,
    JsonElement? Before,
    JsonElement? After,
    string? CorrelationId);

/// <summary>
/// The audit records of an account, newest first. <c>startDate</c> is inclusive; a date-time <c>endDate</c> is exclusive, a
/// date-only <c>endDate</c> includes that whole day. Both are ISO 8601 and UTC unless they carry an offset.
/// </summary>
public sealed record ListAuditRecordsQuery(Guid AccountId, string? StartDate, string? EndDate, PageRequest Page)
    : IQuery<Result<Page<AuditRecordDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.AuditRead;
}

public sealed class ListAuditRecordsQueryValidator : AbstractValidator<ListAuditRecordsQuery>
{

    public ListAuditRecordsQueryValidator()
    {
        RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
        RuleFor(q => q.StartDate).Must(d => AuditPeriod.TryParseStart(d, out _)).WithMessage(Malformed("startDate")).When(q => q.StartDate is not null);
        RuleFor(q => q.EndDate).Must(d => AuditPeriod.TryParseEnd(d, out _)).WithMessage(Malformed("endDate")).When(q => q.EndDate is not null);
        RuleFor(q => q.EndDate)
            .Must((q, endDate) => AuditPeriod.From(q.StartDate, endDate) is not { } period || period.End > period.Start)
            .WithMessage("'endDate' must be after 'startDate'.")
            .When(q => q.StartDate is not null && q.EndDate is not null);
    }

    private static string Malformed(string name) =>
        $"'{name}' must be an ISO 8601 date (2024-05-31) or UTC date-time (2024-05-31T12:00:00Z; URL-encode a '+' offset).";
}

/// <summary>
/// The half-open UTC interval [<see cref="Start"/>, <see cref="End"/>) a list is filtered to. A date-only end stands for the
/// end of that day, so <c>startDate=2024-05-01&amp;endDate=2024-05-31</c> is all of May.
/// </summary>
public sealed record AuditPeriod(DateTime Start, DateTime End)
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static readonly AuditPeriod Unbounded = new(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    /// <summary>The period of two valid parameters (either may be absent); null if one is malformed.</summary>
    public static AuditPeriod? From(string? startDate, string? endDate)
    {
        var start = Unbounded.Start;
        var end = Unbounded.End;
        if ((startDate is not null && !TryParseStart(startDate, out start)) || (endDate is not null && !TryParseEnd(endDate, out end)))
        {
            return null;
        }

        return new AuditPeriod(start, end);
    }

    /// <summary>The first instant included: midnight UTC for a date.</summary>
    public static bool TryParseStart(string? value, out DateTime start) => TryParse(value, endOfDay: false, out start);

    /// <summary>The first instant excluded: the date-time itself, or the midnight after a date.</summary>
    public static bool TryParseEnd(string? value, out DateTime end) => TryParse(value, endOfDay: true, out end);

    private static bool TryParse(string? value, bool endOfDay, out DateTime instant)
    {
        instant = default;
        if (value is null)
        {
            return false;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = !endOfDay ? date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                : date == DateOnly.MaxValue ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)
                : date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return true;
        }

        if (DateTimeOffset.TryParseExact(
            value, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment))
        {
            instant = moment.UtcDateTime;
            return true;
        }

        return false;
    }

    /// <summary>The filter as a stable string, so a continuation token is bound to it.</summary>
    public string Key => Start.ToString("O", CultureInfo.InvariantCulture) + "/" + End.ToString("O", CultureInfo.InvariantCulture);
}

public sealed class ListAuditRecordsHandler(IAppDbContext db, IContinuationTokens tokens)
    : IQueryHandler<ListAuditRecordsQuery, Result<Page<AuditRecordDto>>>
{
    public async ValueTask<Result<Page<AuditRecordDto>>> Handle(ListAuditRecordsQuery query, CancellationToken cancellationToken)
    {
        // The validator has accepted both dates, so the period exists.
        var period = AuditPeriod.From(query.StartDate, query.EndDate)!;
        var scope = $"auditrecords:{query.AccountId:N}:{period.Key}";
        var position = tokens.Position(scope, query.Page);
        if (!position.IsSuccess)
        {
            return position.Error!;
        }

        // Keyset paging on the id (ids grow with time): the token holds the last id of the previous page.
        long? before = null;
        if (position.Value is not null)
        {
            if (!long.TryParse(position.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var lastId))
            {
                return Paging.InvalidToken;
            }

            before = lastId;
        }

        var records = db.AuditRecords.AsNoTracking().Where(r => r.AccountId == query.AccountId);
        if (before is { } id)
        {
            records = records.Where(r => r.Id < id);
        }

        if (period.Start > AuditPeriod.Unbounded.Start)
        {
            records = records.Where(r => r.OccurredAt >= period.Start);
        }

        if (period.End < AuditPeriod.Unbounded.End)
        {
            records = records.Where(r => r.OccurredAt < period.End);
        }

        var rows = await records
            .OrderByDescending(r => r.Id)
            .Take(query.Page.Limit + 1)
            .ToListAsync(cancellationToken);

        var page = rows.ToPage(query.Page, tokens, scope, r => r.Id.ToString(CultureInfo.InvariantCulture));
        return new Page<AuditRecordDto>(
            [.. page.Items.Select(r => new AuditRecordDto(
                r.Id, r.OccurredAt, r.Actor, r.Action, r.Resource, r.ResourceId, Parse(r.Before), Parse(r.After), r.CorrelationId))],
            page.ContinuationToken);
    }

    /// <summary>Snapshots are stored as JSON text; the API returns them as JSON objects.</summary>
    private static JsonElement? Parse(string? snapshot) => snapshot is null ? null : JsonSerializer.Deserialize<JsonElement>(snapshot);
}
