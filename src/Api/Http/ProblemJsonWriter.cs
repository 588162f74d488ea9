using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// The one writer of problem details: errors of this API are always problem details, whatever the caller's <c>Accept</c>
/// header says (the framework's writer declines callers that do not accept JSON, and the status-code pages would then answer
/// in plain text), and every problem is written the same way: completed by the host's <c>CustomizeProblemDetails</c>,
/// serialized with the API's JSON options into one buffer and sent with its <c>Content-Length</c> in one write (a body streamed
/// by the serializer goes out chunked, with a second write for the last chunk). Registered ahead of the framework's writer.
/// Code of ours never writes a problem itself: it goes through
/// <see cref="Problems.WriteAsync(HttpContext, Microsoft.AspNetCore.Mvc.ProblemDetails)"/> or returns <see cref="Problems.From"/>.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        problem.Type ??= Problems.TypeBase + (problem.Extensions.TryGetValue("code", out var code) ? code : "error");
        var body = JsonSerializer.SerializeToUtf8Bytes(problem, problem.GetType(), jsonOptions.Value.SerializerOptions);
        var response = http.Response;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return new ValueTask(response.Body.WriteAsync(body, 0, body.Length, http.RequestAborted));
    }
}
