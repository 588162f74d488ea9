using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Http;

/// <summary>Turns use-case results into typed HTTP results: problems, ETags, 304s and paging links, the same way everywhere.</summary>
public static class Responses
{
    public static Results<Ok<TOut>, ProblemHttpResult> Ok<TIn, TOut>(this Result<TIn> result, HttpContext http, Func<TIn, TOut> map) =>
        result.IsSuccess ? TypedResults.Ok(map(result.Value)) : Problems.From(result.Error!, http);

    public static Results<Ok<TOut>, NotModifiedResult, ProblemHttpResult> Versioned<TIn, TOut>(this Result<Versioned<TIn>> result, HttpContext http, Func<TIn, TOut> map)
    {
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        http.Response.Headers.ETag = ETags.Format(result.Value.Version);
        return ETags.NoneMatch(http.Request, result.Value.Version) ? TypedResults.Ok(map(result.Value.Value)) : NotModifiedResult.Instance;
    }

    public static Results<Ok<TOut>, ProblemHttpResult> Written<TIn, TOut>(this Result<Versioned<TIn>> result, HttpContext http, Func<TIn, TOut> map)
    {
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        http.Response.Headers.ETag = ETags.Format(result.Value.Version);
        return TypedResults.Ok(map(result.Value.Value));
    }

    public static Results<NoContent, ProblemHttpResult> NoContent(this Result<Success> result, HttpContext http) =>
        result.IsSuccess ? TypedResults.NoContent() : Problems.From(result.Error!, http);

    public static Results<Ok<PageResponse<TOut>>, ProblemHttpResult> Paged<TIn, TOut>(this Result<Page<TIn>> result, HttpContext http, Func<TIn, TOut> map)
    {
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        var page = result.Value;
        if (page.ContinuationToken is not null)
        {
            var query = QueryString.Create(http.Request.Query
                .Where(q => q.Key is not "continuationToken")
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                .Append(new KeyValuePair<string, string?>("continuationToken", page.ContinuationToken)));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{query}>; rel=\"next\"";
        }

        return TypedResults.Ok(new PageResponse<TOut>([.. page.Items.Select(map)], page.ContinuationToken));
    }
}
