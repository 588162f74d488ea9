using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.LearnProfiles;
using PartnerAccounts.Application.LearnProfiles.GetMyLearnProfile;
using PartnerAccounts.Application.LearnProfiles.UnlinkLearnProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

/// <summary>The caller's Microsoft Learn association. It is the person's, so it lives under /me, not under an account.</summary>
public sealed class LearnProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var me = v1.MapGroup("/me").WithTags("Microsoft Learn");
        me.MapGet("/learn-profile", GetMyLearnProfile).WithName(nameof(GetMyLearnProfile))
            .WithSummary("The caller's Microsoft Learn association (linked: false when there is none)")
            .ProducesProblems(400, 401);
        me.MapPut("/learn-profile", LinkMyLearnProfile).WithName(nameof(LinkMyLearnProfile))
            .WithSummary("Link the caller's Microsoft Learn transcript share link (If-Match: the learn profile's ETag, \"0\" before the first link)")
            .ProducesProblems(400, 401, 409, 412, 413, 415, 428);
        me.MapDelete("/learn-profile", UnlinkMyLearnProfile).WithName(nameof(UnlinkMyLearnProfile))
            .WithSummary("Remove the caller's Microsoft Learn association (If-Match)")
            .ProducesProblems(400, 401, 412, 428);
    }

    public static async Task<Results<Ok<LearnProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetMyLearnProfile(
        HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetMyLearnProfileQuery(), cancellationToken)).Versioned(http, LearnProfilesMapper.ToResponse);

    public static async Task<Results<Ok<LearnProfileResponse>, ProblemHttpResult>> LinkMyLearnProfile(
        LearnProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, LearnProfilesMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> UnlinkMyLearnProfile(
        HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UnlinkLearnProfileCommand(ETags.IfMatchOf(http.Request)), cancellationToken)).NoContent(http);
}
