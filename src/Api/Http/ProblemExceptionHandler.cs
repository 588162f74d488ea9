using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Requests the framework could not read (malformed JSON, wrong types, unknown enum values, bad path ids, wrong content type,
/// oversized bodies) become 4xx problems with field errors; a database that cannot serve now (down, restarting, unreachable,
/// out of connections, a full or read-only SQLite file) is 503 <c>service_unavailable</c> with <c>Retry-After</c>; anything
/// else is a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What a 503 asks clients to wait: a PostgreSQL restart or fail-over takes seconds, and nodes reconnect by themselves.</summary>
    public const int DatabaseRetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Mvc.ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var status = bad.StatusCode;
            var code = status != StatusCodes.Status400BadRequest ? Problems.DefaultCode(status)
                : bad.InnerException is JsonException json ? StrictJson.CodeOf(json)
                : "malformed_request";
            var parameter = status == StatusCodes.Status400BadRequest && bad.InnerException is not JsonException ? UnparsableParameterOf(httpContext) : null;
            problem = Problems.Create(httpContext, status, code, DetailOf(httpContext, bad, code, parameter), FieldErrorsOf(bad, code, parameter));
            logger.LogDebug("Rejected a request that could not be read: {Status} {Code}", status, code);
        }
        else if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }
        else if (DatabaseFailures.IsUnavailable(exception))
        {
            logger.LogWarning("The database cannot serve the request: {Reason}", exception.GetBaseException().Message);
            problem = Problems.Create(httpContext, StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The database is unavailable. Retry after the time given in Retry-After.");
        }
        else
        {
            logger.LogError(exception, "Unhandled exception");
            problem = Problems.Create(httpContext, StatusCodes.Status500InternalServerError, "internal_error", "An unexpected error occurred. Quote the request id when you report it.");
        }

        if (httpContext.Response.HasStarted)
        {
            return true;
        }

        httpContext.Response.Clear();
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await Problems.WriteAsync(httpContext, problem);
        return true;
    }

    private static string DetailOf(HttpContext http, BadHttpRequestException bad, string code, string? parameter) => bad.StatusCode switch
    {
        _ when code == StrictJson.DuplicateProperty => "The request body names a property more than once.",
        _ when code == StrictJson.UnknownProperty => "The request body holds a property this operation does not define.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 1 MiB.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ when bad.InnerException is JsonException => "The request body is not valid JSON for this operation.",
        _ when parameter is not null => "A path or query parameter has an invalid format.",
        _ when bad.InnerException is not null && AcceptsBody(http) => "The request body is missing or unreadable.",
        _ => "The request could not be read.",
    };

    private static Dictionary<string, string[]>? FieldErrorsOf(BadHttpRequestException bad, string code, string? parameter)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            return new() { [path] = [StrictJson.MessageOf(code)] };
        }

        // We name the parameter, never echo its value.
        return parameter is null ? null : new() { [parameter] = ["The value has an invalid format."] };
    }

    /// <summary>
    /// The path or query parameter the framework could not bind, found the way the framework failed: the handler's
    /// parameter whose value in the request does not parse as its declared type (the exception carries no structured
    /// name, and its message is not a contract).
    /// </summary>
    private static string? UnparsableParameterOf(HttpContext http)
    {
        var failed = http.Features.Get<IExceptionHandlerFeature>();
        var endpoint = failed?.Endpoint ?? http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return null;
        }

        var routeValues = failed?.RouteValues ?? http.Request.RouteValues;
        foreach (var parameter in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            var name = parameter.GetCustomAttributes().OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
                ?? parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                ?? parameter.Name;
            if (name is null || type == typeof(string))
            {
                continue;
            }

            var value = routeValues.TryGetValue(name, out var routeValue) ? routeValue?.ToString()
                : http.Request.Query.TryGetValue(name, out var queryValue) ? queryValue.ToString()
                : null;
            if (value is not null && Parses(type, value) == false)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="value"/> parses as <paramref name="type"/>; null when the type is not parsed from text.</summary>
    private static bool? Parses(Type type, string value)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out _);
        }

        var tryParse = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        return tryParse is null ? null : (bool)tryParse.Invoke(null, [value, CultureInfo.InvariantCulture, null])!;
    }

    private static bool AcceptsBody(HttpContext http) =>
        (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
}
