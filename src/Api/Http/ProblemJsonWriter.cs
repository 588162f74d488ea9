using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Errors of this API are always problem details, whatever the caller's <c>Accept</c> header says. The framework's writer
/// declines callers that do not accept JSON, and the status-code pages (unknown route, wrong method) would then answer in plain
/// text; this writer, registered after it, takes those. Code of ours never writes a problem itself: it goes through
/// <see cref="Problems.WriteAsync(HttpContext, Microsoft.AspNetCore.Mvc.ProblemDetails)"/> or returns <see cref="Problems.From"/>.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        problem.Type ??= Problems.TypeBase + (problem.Extensions.TryGetValue("code", out var code) ? code : "error");
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, jsonOptions.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
