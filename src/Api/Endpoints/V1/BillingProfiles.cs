using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Profiles.Billing;
using PartnerAccounts.Application.Profiles.Billing.GetBillingProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

/// <summary>The billing profile (under the Profiles group's path, in its own class to keep the groups independent).</summary>
public sealed class BillingProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/billing", GetBillingProfile).WithName(nameof(GetBillingProfile))
            .WithSummary("Read the billing profile; bank numbers are masked to their last four characters (ibanLast4 or accountNumberLast4)")
            .ProducesProblems(400, 401, 403, 404);
        profiles.MapPut("/billing", ReplaceBillingProfile).WithName(nameof(ReplaceBillingProfile))
            .WithSummary("Replace the billing profile (If-Match); bank information takes an IBAN or a US routing + account number, null removes it")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.BillingProfile);
    }

    public static async Task<Results<Ok<BillingProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetBillingProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetBillingProfileQuery(accountId), cancellationToken)).Versioned(http, BillingMapper.ToResponse);

    public static async Task<Results<Ok<BillingProfileResponse>, ProblemHttpResult>> ReplaceBillingProfile(
        Guid accountId, BillingProfileRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, BillingMapper.ToResponse);
}
