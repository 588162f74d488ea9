using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Application.Verification;
using PartnerAccounts.Application.Verification.GetVerification;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Verification : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var verification = v1.MapGroup("/accounts/{accountId}/verification").WithTags("Verification");
        verification.MapGet("/", GetVerification).WithName(nameof(GetVerification))
            .WithSummary("The account's verification status")
            .ProducesProblems(400, 401, 403, 404);
        verification.MapPost("/decisions", DecideVerification).WithName(nameof(DecideVerification))
            .WithSummary("Platform operators: decide the account's verification")
            .WithResponseHeader(200, "ETag")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);
    }

    public static async Task<Results<Ok<VerificationResponse>, NotModifiedResult, ProblemHttpResult>> GetVerification(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetVerificationQuery(accountId), cancellationToken)).Versioned(http, ContractMapper.ToResponse);

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> DecideVerification(
        Guid accountId, VerificationDecisionRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId), cancellationToken)).Written(http, ContractMapper.ToResponse);
}
