using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Hosting;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Api.Endpoints.V1;

/// <summary>
/// Partner Center's "verify a partner MPN ID", the hottest endpoint: an API key (or bearer token) checked in memory, a rate
/// limit per key, a cached lookup, and source-generated JSON. No Mediator pipeline, no EF Core, no logging per request.
/// <para>
/// It is mapped on its literal v1 path rather than on the <c>/v{version:apiVersion}</c> group: Asp.Versioning 8 parses the
/// group's route template on every request it routes (about a fifth of this endpoint's CPU time when measured), and this
/// path is frozen by the Partner Center contract anyway. A v2 would map its own path.
/// </para>
/// </summary>
public static class MpnVerification
{
    public const string Path = "/v1/profiles/mpn";

    public static void MapMpnVerification(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, VerifyMpnId).WithTags("MPN ID verification").WithName(nameof(VerifyMpnId))
            .WithSummary("Verify a partner MPN ID (global or location), as Partner Center does: the partner's legal name; X-Api-Key or a bearer token, rate limited per key")
            .WithGroupName("v1")
            .WithMetadata(new ApiKeyAuthAttribute())
            .RequireRateLimiting(RateLimits.MpnVerificationPolicy)
            .ProducesProblems(400, 401, 404, 429);
    }

    public static async ValueTask<Results<MpnProfileResult, ProblemHttpResult, ChallengeHttpResult>> VerifyMpnId(
        HttpContext http, MpnVerifier verifier, CancellationToken cancellationToken, [FromQuery] string? mpnId = null)
    {
        // Any authenticated caller may verify: that is the whole rule, checked here rather than by an authorization policy,
        // whose evaluation (services, contexts, requirement sets per request) costs more than the rest of the request.
        // A caller without valid credentials gets the default scheme's challenge: 401 with a problem body.
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return TypedResults.Challenge();
        }

        if (mpnId is null)
        {
            // Partner Center's "the caller's own MPN profile" (no mpnId at all; an empty one is still an invalid ID).
            return await PartnerCenterProfiles.GetCallerMpnProfile(http, cancellationToken);
        }

        var result = await verifier.VerifyAsync(mpnId, cancellationToken);
        return result.IsSuccess
            ? new MpnProfileResult(MpnProfileResponse.For(result.Value.MpnId, result.Value.PartnerName))
            : Problems.From(result.Error!, http);
    }
}

/// <summary>
/// 200 with the verification answer, written with the source-generated serializer of <see cref="MpnVerificationJsonContext"/>
/// (its fast path: straight to the response, no reflection, no per-request options lookup).
/// </summary>
public sealed class MpnProfileResult(MpnProfileResponse value) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<MpnProfileResponse>
{
    public int? StatusCode => StatusCodes.Status200OK;

    public MpnProfileResponse Value => value;

    object? IValueHttpResult.Value => value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        return httpContext.Response.WriteAsJsonAsync(value, MpnVerificationJsonContext.Default.MpnProfileResponse);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(MpnProfileResponse), ["application/json"]));
}
