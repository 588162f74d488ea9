using Mediator;
using Microsoft.AspNetCore.Routing.Template;
using PartnerAccounts.Application.Common.Preconditions;

namespace PartnerAccounts.Api.Http;

/// <summary>Marks a PUT whose If-Match is judged before its body (RFC 9110 §13.2.1); the resource is found by the route's <c>accountId</c> and, for collections, <see cref="IdRouteValue"/>.</summary>
public sealed record ConditionalWriteMetadata(ConditionalResource Resource, string? IdRouteValue)
{
    public CheckPreconditionQuery? QueryFor(HttpContext http)
    {
        if (!Guid.TryParse(http.GetRouteValue("accountId") as string, out var accountId))
        {
            return null;
        }

        var id = Guid.Empty;
        if (IdRouteValue is not null && !Guid.TryParse(http.GetRouteValue(IdRouteValue) as string, out id))
        {
            return null;
        }

        return new CheckPreconditionQuery(accountId, Resource, id, ETags.IfMatchOf(http.Request));
    }
}

public static class PreconditionsFirstExtensions
{
    /// <summary>Declares the route a conditional write on <paramref name="resource"/>: a body the framework refuses is answered 404/428/412 first when they apply.</summary>
    public static RouteHandlerBuilder ConditionalOn(this RouteHandlerBuilder builder, ConditionalResource resource, string? idRouteValue = null) =>
        builder.WithMetadata(new ConditionalWriteMetadata(resource, idRouteValue));
}

/// <summary>
/// Preconditions before content for bodies the framework cannot bind (unreadable JSON, duplicate or unknown properties, wrong
/// content type, no body): binding fails before any use case runs, so here, and only then, the write's precondition is judged
/// (authorized as the write) and a 404, 428 or 412 wins over the body's 400/415. Bodies that bind but fail validation get the
/// same order from ValidationBehaviour; accepted bodies pay nothing extra.
/// </summary>
public sealed class PreconditionsFirstMiddleware(RequestDelegate next, EndpointDataSource endpoints)
{
    private IReadOnlyList<(TemplateMatcher Matcher, string Method, ConditionalWriteMetadata Metadata)>? _conditionalRoutes;

    public async Task InvokeAsync(HttpContext http)
    {
        var conditional = http.GetEndpoint()?.Metadata.GetMetadata<ConditionalWriteMetadata>();
        if (conditional is null && !http.Request.HasJsonContentType() && http.Request.ContentType is not null && HttpMethods.IsPut(http.Request.Method))
        {
            // Routing answers a body that is not JSON with its own 415 endpoint, before the write's endpoint is chosen: find the
            // conditional write the path names, so its precondition is judged first.
            conditional = ConditionalRouteOf(http);
            if (conditional is not null && await RefusedByPreconditionAsync(http, conditional))
            {
                return;
            }

            await next(http);
            return;
        }

        if (conditional is null)
        {
            await next(http);
            return;
        }

        try
        {
            await next(http);
        }
        catch (BadHttpRequestException) when (!http.Response.HasStarted)
        {
            if (!await RefusedByPreconditionAsync(http, conditional))
            {
                throw;
            }
        }
    }

    private ConditionalWriteMetadata? ConditionalRouteOf(HttpContext http)
    {
        _conditionalRoutes ??= [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ConditionalWriteMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), method, e.Metadata.GetMetadata<ConditionalWriteMetadata>()!)))];

        foreach (var (matcher, method, metadata) in _conditionalRoutes)
        {
            var values = new RouteValueDictionary();
            if (string.Equals(method, http.Request.Method, StringComparison.OrdinalIgnoreCase) && matcher.TryMatch(http.Request.Path, values))
            {
                foreach (var (name, value) in values)
                {
                    http.Request.RouteValues[name] = value;
                }

                return metadata;
            }
        }

        return null;
    }

    private static async Task<bool> RefusedByPreconditionAsync(HttpContext http, ConditionalWriteMetadata conditional)
    {
        if (conditional.QueryFor(http) is not { } query)
        {
            return false;
        }

        var precondition = await http.RequestServices.GetRequiredService<ISender>().Send(query, http.RequestAborted);
        if (precondition.IsSuccess)
        {
            return false;
        }

        await Problems.WriteAsync(http, precondition.Error!);
        return true;
    }
}
