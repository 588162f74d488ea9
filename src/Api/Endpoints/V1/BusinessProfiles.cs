using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Profiles.Business;
using PartnerAccounts.Application.Profiles.Business.GetBusinessProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class BusinessProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/business", GetBusinessProfile).WithName(nameof(GetBusinessProfile))
            .WithSummary("Read the business (marketing) profile customers see")
            .ProducesProblems(400, 401, 403, 404);
        profiles.MapPut("/business", ReplaceBusinessProfile).WithName(nameof(ReplaceBusinessProfile))
            .WithSummary("Replace the business (marketing) profile (If-Match)")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.BusinessProfile);
    }

    public static async Task<Results<Ok<BusinessProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetBusinessProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetBusinessProfileQuery(accountId), cancellationToken)).Versioned(http, AccountProfilesMapper.ToResponse);

    public static async Task<Results<Ok<BusinessProfileResponse>, ProblemHttpResult>> ReplaceBusinessProfile(
        Guid accountId, BusinessProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, AccountProfilesMapper.ToResponse);
}
