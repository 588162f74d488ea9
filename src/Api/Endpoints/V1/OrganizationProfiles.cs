using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Profiles.Organization;
using PartnerAccounts.Application.Profiles.Organization.GetOrganizationProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class OrganizationProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/organization", GetOrganizationProfile).WithName(nameof(GetOrganizationProfile))
            .WithSummary("Read the organization profile: display company name, email, language, culture, address")
            .ProducesProblems(400, 401, 403, 404);
        profiles.MapPut("/organization", ReplaceOrganizationProfile).WithName(nameof(ReplaceOrganizationProfile))
            .WithSummary("Replace the organization profile (If-Match)")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.OrganizationProfile);
    }

    public static async Task<Results<Ok<OrganizationProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetOrganizationProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetOrganizationProfileQuery(accountId), cancellationToken)).Versioned(http, AccountProfilesMapper.ToResponse);

    public static async Task<Results<Ok<OrganizationProfileResponse>, ProblemHttpResult>> ReplaceOrganizationProfile(
        Guid accountId, OrganizationProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, AccountProfilesMapper.ToResponse);
}
