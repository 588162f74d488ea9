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
    private const string MsRequestIdHeader = "MS-RequestId";
    private const string MsCorrelationIdHeader = "MS-CorrelationId";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[RequestIdHeader]) ?? Accept(context.Request.Headers[MsRequestIdHeader]) ?? Guid.NewGuid().ToString("D");
        context.Items[typeof(RequestIds)] = requestId;
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

        context.Items[CorrelationIdHeader] = correlationId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIdHeader] = requestId;
            if (context.Request.Headers.ContainsKey(MsRequestIdHeader))
            {
                context.Response.Headers[MsRequestIdHeader] = requestId;
            }

            if (correlationName is not null)
            {
                context.Response.Headers[correlationName] = correlationId;
            }

            return Task.CompletedTask;
        });

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = requestId, ["CorrelationId"] = correlationId }))
        {
            await next(context);
        }
    }

    /// <summary>Only short, printable ids are taken over from the caller; anything else is replaced, never echoed.</summary>
    private static string? Accept(string? value) => value is { Length: > 0 and <= 128 } && SafeId().IsMatch(value) ? value : null;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}

public static class RequestIds
{
    public static string Of(HttpContext http) => http.Items[typeof(RequestIds)] as string ?? http.TraceIdentifier;

    public static string? CorrelationOf(HttpContext http) => http.Items[RequestIdMiddleware.CorrelationIdHeader] as string;
}
