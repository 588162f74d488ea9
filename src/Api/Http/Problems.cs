using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// The one place that turns failures into RFC 9457 problem details with a stable <c>code</c>, and that writes them: an
/// endpoint returns <see cref="From"/>; a middleware, handler or event that answers by itself calls
/// <see cref="WriteAsync(HttpContext, ProblemDetails)"/>. Either way the body goes through the host's problem-details
/// service (its one writer, <see cref="ProblemJsonWriter"/>), so every problem is completed by
/// <see cref="Customize"/> and serialized with the API's JSON options.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://partneraccounts.dev/problems/";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.BusinessRule => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult From(Error error, HttpContext http)
    {
        if (error.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = Create(http, StatusOf(error.Kind), error.Code, error.Message, error.FieldErrors);
        foreach (var (name, value) in error.Extensions ?? new Dictionary<string, object>())
        {
            problem.Extensions.TryAdd(name, value);
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>Answers the request with <paramref name="problem"/> (its status, <c>application/problem+json</c>).</summary>
    public static Task WriteAsync(HttpContext http, ProblemDetails problem) => TypedResults.Problem(problem).ExecuteAsync(http);

    /// <summary>Answers the request with the problem of an expected failure.</summary>
    public static Task WriteAsync(HttpContext http, Error error) => From(error, http).ExecuteAsync(http);

    public static ProblemDetails Create(HttpContext http, int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Type = TypeBase + code,
            Title = TitleOf(status),
            Status = status,
            Detail = detail,
            Instance = http.Request.Path,
        };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        problem.Extensions["requestId"] = RequestIds.Of(http);
        return Complete(http, problem);
    }

    /// <summary>
    /// Completes a problem the framework produced itself (unknown route, wrong method, a typed result's problem): the same
    /// members as <see cref="Create"/>. The host's <c>CustomizeProblemDetails</c>.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Extensions.TryAdd("code", DefaultCode(status));
        problem.Extensions.TryAdd("requestId", RequestIds.Of(context.HttpContext));
        problem.Extensions.Remove("traceId");
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Detail ??= DefaultDetail(status);
        Complete(context.HttpContext, problem);
    }

    /// <summary>
    /// Partner Center's fault members on every problem, which its SDK reads into <c>PartnerException.ServiceErrorPayload</c>:
    /// <c>description</c> (the <c>detail</c>) and <c>data</c> (the field messages, else empty). The one exception is a 429 on
    /// the Partner Center-compatible paths: there the SDK sets <c>PartnerException.RetryAfter</c> only when the body is not a
    /// fault, so it carries Partner Center's <c>statusCode</c> and <c>message</c> instead of <c>code</c>, <c>description</c>
    /// and <c>data</c>.
    /// </summary>
    private static ProblemDetails Complete(HttpContext http, ProblemDetails problem)
    {
        var status = problem.Status ?? http.Response.StatusCode;
        if (status == StatusCodes.Status429TooManyRequests && IsPartnerCenterPath(http.Request.Path))
        {
            problem.Extensions.Remove("code");
            problem.Extensions.Remove("description");
            problem.Extensions.Remove("data");
            problem.Extensions["statusCode"] = status;
            problem.Extensions["message"] = $"Rate limit is exceeded. Try again in {RetryAfterSeconds(http)} seconds.";
            return problem;
        }

        problem.Extensions["description"] = problem.Detail ?? problem.Title ?? TitleOf(status);
        problem.Extensions["data"] = FieldMessages(problem);
        return problem;
    }

    /// <summary>The paths where Partner Center's SDK and scripts call this service as they call Partner Center.</summary>
    public static bool IsPartnerCenterPath(PathString path) => path.StartsWithSegments(PartnerCenterPaths, StringComparison.OrdinalIgnoreCase);

    private static readonly PathString PartnerCenterPaths = new("/v1/profiles");

    private static string RetryAfterSeconds(HttpContext http) =>
        long.TryParse(http.Response.Headers.RetryAfter.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "1";

    private static List<string> FieldMessages(ProblemDetails problem)
    {
        var errors = problem is HttpValidationProblemDetails validation && validation.Errors.Count > 0
            ? validation.Errors
            : problem.Extensions.TryGetValue("errors", out var value) ? value as IEnumerable<KeyValuePair<string, string[]>> : null;
        return errors is null ? [] : [.. errors.SelectMany(field => field.Value.Select(message => field.Key + ": " + message))];
    }

    /// <summary>The code of a problem the framework produced itself (unknown route, wrong method, ...).</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        431 => "headers_too_large",
        503 => "service_unavailable",
        _ when status >= 500 => "internal_error",
        _ => "error",
    };

    private static string DefaultDetail(int status) => status switch
    {
        404 => "There is no resource at this path.",
        405 => "This path does not support this method.",
        406 => "This service answers in JSON only.",
        _ => TitleOf(status) + ".",
    };

    /// <summary>The RFC 9110 reason phrase of a problem status: the problem's <c>title</c>.</summary>
    public static string TitleOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        >= 500 => "Internal Server Error",
        _ => "Error",
    };
}
