using System.Globalization;
using Microsoft.Net.Http.Headers;
using PartnerAccounts.Application.Common.Models;

namespace PartnerAccounts.Api.Http;

/// <summary>The one ETag helper: strong ETags made from resource versions, <c>If-Match</c> for writes, <c>If-None-Match</c> for reads.</summary>
public static class ETags
{
    public static string Format(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The <c>If-Match</c> precondition of a write; the use case checks it once the caller is known to be allowed. The header may
    /// list several tags (<c>"2", "3"</c>, also over several header lines); <c>*</c> matches any current version. The comparison is
    /// strong (RFC 9110 §13.1.1), so weak tags (<c>W/"2"</c>) never match; neither do tags this service never issued.
    /// </summary>
    public static IfMatch IfMatchOf(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.All(string.IsNullOrWhiteSpace))
        {
            return IfMatch.Missing;
        }

        if (!EntityTagHeaderValue.TryParseList(values, out var tags))
        {
            return IfMatch.Unreadable;
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return IfMatch.Any;
        }

        var versions = new List<int>(tags.Count);
        foreach (var tag in tags)
        {
            if (!tag.IsWeak &&
                int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return new IfMatch(true, false, versions);
    }

    public static bool NoneMatch(HttpRequest request, int version)
    {
        var header = request.Headers.IfNoneMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return true;
        }

        if (header.Trim() == "*")
        {
            return false;
        }

        var current = Format(version);
        return !(EntityTagHeaderValue.TryParseList([header], out var tags) && tags.Any(t => t.Tag.AsSpan().SequenceEqual(current)));
    }
}

/// <summary>304 Not Modified, declared in the OpenAPI document like any typed result.</summary>
public sealed class NotModifiedResult : IResult, IStatusCodeHttpResult, Microsoft.AspNetCore.Http.Metadata.IEndpointMetadataProvider
{
    public static readonly NotModifiedResult Instance = new();

    public int? StatusCode => StatusCodes.Status304NotModified;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
        return Task.CompletedTask;
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
}
