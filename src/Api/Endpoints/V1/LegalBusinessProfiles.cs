using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Profiles.LegalBusiness;
using PartnerAccounts.Application.Profiles.LegalBusiness.GetLegalBusinessProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class LegalBusinessProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/legalbusiness", GetLegalBusinessProfile).WithName(nameof(GetLegalBusinessProfile))
            .WithSummary("Read the legal business profile")
            .ProducesProblems(400, 401, 403, 404);
        profiles.MapPut("/legalbusiness", ReplaceLegalBusinessProfile).WithName(nameof(ReplaceLegalBusinessProfile))
            .WithSummary("Replace the legal business profile (If-Match); a new legal name or address puts verification back to pending")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.LegalBusinessProfile);
    }

    public static async Task<Results<Ok<LegalBusinessProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetLegalBusinessProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetLegalBusinessProfileQuery(accountId), cancellationToken)).Versioned(http, ContractMapper.ToResponse);

    public static async Task<Results<Ok<LegalBusinessProfileResponse>, ProblemHttpResult>> ReplaceLegalBusinessProfile(
        Guid accountId, LegalBusinessProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, ContractMapper.ToResponse);
}
