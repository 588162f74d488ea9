using System.Text.RegularExpressions;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Every response carries <c>X-Request-Id</c>; a caller's correlation id (<c>X-Correlation-Id</c>, or Partner Center's
/// <c>MS-CorrelationId</c>) is echoed under the name it was sent with and logged with every line of the request.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string RequestIdHeader = "X-Request-Id";
    public const string CorrelationIdHeader = "X-Correlation-Id";
    internal const string MsRequestIdHeader = "MS-RequestId";
    private const string MsCorrelationIdHeader = "MS-CorrelationId";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[RequestIdHeader]) ?? Accept(context.Request.Headers[MsRequestIdHeader]) ?? NewRequestId();
        context.TraceIdentifier = requestId;

        string? correlationName = null;
        var correlationId = Accept(context.Request.Headers[CorrelationIdHeader]);
        if (correlationId is not null)
        {
            correlationName = CorrelationIdHeader;
        }
        else if ((correlationId = Accept(context.Request.Headers[MsCorrelationIdHeader])) is not null)
        {
            correlationName = MsCorrelationIdHeader;
        }

        if (correlationId is not null)
        {
            context.Items[CorrelationIdHeader] = correlationId;
        }

        // One object per request serves as the log scope and as the state of the response-starting callback: this runs on
        // every request, MPN ID verification included, so it allocates as little as it can.
        var ids = new RequestScope(context, requestId, correlationName, correlationId);
        context.Response.OnStarting(RequestScope.WriteHeaders, ids);
        using (logger.BeginScope(ids))
        {
            await next(context);
        }
    }

    /// <summary>
    /// A version-4 UUID from <see cref="Random.Shared"/>: a request id must be unique, not unguessable, and
    /// <see cref="Guid.NewGuid"/> costs a system call each time on Linux (a read of <c>/dev/urandom</c>), which on these
    /// machines took longer than the rest of a cached MPN verification's own code.
    /// </summary>
    internal static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (the high nibble of the third group)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC 9562 variant
        return new Guid(bytes).ToString("D");
    }

    /// <summary>Only short, printable ids are taken over from the caller; anything else is replaced, never echoed.</summary>
    private static string? Accept(string? value) => value is { Length: > 0 and <= 128 } && SafeId().IsMatch(value) ? value : null;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}

public static class RequestIds
{
    /// <summary>The request id: <see cref="RequestIdMiddleware"/> makes it the request's trace identifier.</summary>
    public static string Of(HttpContext http) => http.TraceIdentifier;

    public static string? CorrelationOf(HttpContext http) =>
        http.Items.TryGetValue(RequestIdMiddleware.CorrelationIdHeader, out var id) ? id as string : null;
}

/// <summary>The ids of one request, as a structured log scope (<c>RequestId</c>, <c>CorrelationId</c>) and as the response headers to echo.</summary>
internal sealed class RequestScope(HttpContext context, string requestId, string? correlationName, string? correlationId)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<object, Task> WriteHeaders = state =>
    {
        var ids = (RequestScope)state;
        var response = ids._context.Response;
        response.Headers[RequestIdMiddleware.RequestIdHeader] = ids._requestId;
        if (ids._context.Request.Headers.ContainsKey(RequestIdMiddleware.MsRequestIdHeader))
        {
            response.Headers[RequestIdMiddleware.MsRequestIdHeader] = ids._requestId;
        }

        if (ids._correlationName is not null)
        {
            response.Headers[ids._correlationName] = ids._correlationId;
        }

        return Task.CompletedTask;
    };

    private readonly HttpContext _context = context;
    private readonly string _requestId = requestId;
    private readonly string? _correlationName = correlationName;
    private readonly string? _correlationId = correlationId;

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", _requestId),
        1 => new("CorrelationId", _correlationId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestId:{_requestId} CorrelationId:{_correlationId}";
}
