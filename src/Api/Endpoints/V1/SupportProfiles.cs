using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Profiles.Support;
using PartnerAccounts.Application.Profiles.Support.GetSupportProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class SupportProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/support", GetSupportProfile).WithName(nameof(GetSupportProfile))
            .WithSummary("Read the support profile: support email, phone number, website")
            .ProducesProblems(400, 401, 403, 404);
        profiles.MapPut("/support", ReplaceSupportProfile).WithName(nameof(ReplaceSupportProfile))
            .WithSummary("Replace the support profile (If-Match); at least one channel is required")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.SupportProfile);
    }

    public static async Task<Results<Ok<SupportProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetSupportProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetSupportProfileQuery(accountId), cancellationToken)).Versioned(http, AccountProfilesMapper.ToResponse);

    public static async Task<Results<Ok<SupportProfileResponse>, ProblemHttpResult>> ReplaceSupportProfile(
        Guid accountId, SupportProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, AccountProfilesMapper.ToResponse);
}
