using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
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
            problem = Problems.Create(httpContext, status, code, DetailOf(bad, code), FieldErrorsOf(bad, code));
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

        await httpContext.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    private static string DetailOf(BadHttpRequestException bad, string code) => bad.StatusCode switch
    {
        _ when code == StrictJson.DuplicateProperty => "The request body names a property more than once.",
        _ when code == StrictJson.UnknownProperty => "The request body holds a property this operation does not define.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 1 MiB.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ when bad.InnerException is JsonException => "The request body is not valid JSON for this operation.",
        _ when bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) => "A path or query parameter has an invalid format.",
        _ when bad.Message.Contains("request body", StringComparison.OrdinalIgnoreCase) => "The request body is missing or unreadable.",
        _ => "The request could not be read.",
    };

    private static Dictionary<string, string[]>? FieldErrorsOf(BadHttpRequestException bad, string code)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
            return new() { [path] = [StrictJson.MessageOf(code)] };
        }

        // "Failed to bind parameter \"Guid accountId\" from \"abc\"." names the parameter; we echo its name, never the value.
        const string prefix = "Failed to bind parameter \"";
        if (bad.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            var declaration = bad.Message[prefix.Length..];
            var end = declaration.IndexOf('"', StringComparison.Ordinal);
            var name = end > 0 ? declaration[..end].Split(' ')[^1] : "parameter";
            return new() { [name] = ["The value has an invalid format."] };
        }

        return null;
    }
}
