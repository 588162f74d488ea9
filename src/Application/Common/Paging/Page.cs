using System.Globalization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Paging;

/// <summary>A page of a collection; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>The paging part of a list query: <c>limit</c> (1..200, default 50) and an opaque continuation token.</summary>
public sealed record PageRequest(int Limit = PageRequest.DefaultLimit, string? ContinuationToken = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

public sealed class PageRequestValidator : AbstractValidator<PageRequest>
{
    public PageRequestValidator()
    {
        RuleFor(p => p.Limit).InclusiveBetween(1, PageRequest.MaxLimit);
        RuleFor(p => p.ContinuationToken).MaximumLength(1024);
    }
}

/// <summary>The one pagination helper: reads the position a token stands for and builds the next token.</summary>
public static class Paging
{
    public static readonly Error InvalidToken = Error.Validation(
        "invalid_continuation_token",
        "The continuation token is not valid for this collection.",
        new Dictionary<string, string[]> { ["continuationToken"] = ["The token is malformed, expired or belongs to another collection."] });

    /// <summary>The position after which the page starts: null for the first page; an error for a forged or foreign token.</summary>
    public static Result<string?> Position(this IContinuationTokens tokens, string scope, PageRequest page)
    {
        if (page.ContinuationToken is null)
        {
            return Result<string?>.Success(null);
        }

        var position = tokens.Read(scope, page.ContinuationToken);
        return position is null ? Result<string?>.Failure(InvalidToken) : Result<string?>.Success(position);
    }

    /// <summary>Cuts the <c>limit + 1</c> rows a query fetched to one page and makes the token for the next one.</summary>
    public static Page<T> ToPage<T>(this IReadOnlyList<T> rowsPlusOne, PageRequest page, IContinuationTokens tokens, string scope, Func<T, string> positionOf)
    {
        if (rowsPlusOne.Count <= page.Limit)
        {
            return new Page<T>(rowsPlusOne, null);
        }

        var items = rowsPlusOne.Take(page.Limit).ToList();
        return new Page<T>(items, tokens.Create(scope, positionOf(items[^1])));
    }

    /// <summary>
    /// Offset paging over an ordered query, for the small per-account collections: reads the token, fetches
    /// <c>limit + 1</c> rows from the offset, and makes the token for the next page.
    /// </summary>
    public static async Task<Result<Page<T>>> ToOffsetPageAsync<T>(
        this IQueryable<T> ordered, IContinuationTokens tokens, string scope, PageRequest page, CancellationToken cancellationToken)
    {
        var offset = tokens.OffsetOf(scope, page);
        if (!offset.IsSuccess)
        {
            return offset.Error!;
        }

        var rows = await ordered.Skip(offset.Value).Take(page.Limit + 1).ToListAsync(cancellationToken);
        return rows.ToOffsetPage(offset.Value, page, tokens, scope);
    }

    /// <summary>The same over rows already in memory (an ordered sequence).</summary>
    public static Result<Page<T>> ToOffsetPage<T>(this IEnumerable<T> ordered, IContinuationTokens tokens, string scope, PageRequest page)
    {
        var offset = tokens.OffsetOf(scope, page);
        return offset.IsSuccess
            ? ordered.Skip(offset.Value).Take(page.Limit + 1).ToList().ToOffsetPage(offset.Value, page, tokens, scope)
            : offset.Error!;
    }

    public static Page<TOut> Map<TIn, TOut>(this Page<TIn> page, Func<TIn, TOut> map) => new([.. page.Items.Select(map)], page.ContinuationToken);

    private static Result<int> OffsetOf(this IContinuationTokens tokens, string scope, PageRequest page)
    {
        var position = tokens.Position(scope, page);
        if (!position.IsSuccess)
        {
            return position.Error!;
        }

        if (position.Value is null)
        {
            return 0;
        }

        return int.TryParse(position.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : InvalidToken;
    }

    /// <summary>The position of an offset page's last item is the number of items up to and including it.</summary>
    private static Page<T> ToOffsetPage<T>(this List<T> rowsPlusOne, int offset, PageRequest page, IContinuationTokens tokens, string scope) =>
        rowsPlusOne.ToPage(page, tokens, scope, _ => (offset + page.Limit).ToString(CultureInfo.InvariantCulture));
}
