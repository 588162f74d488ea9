using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.TaxExemptions;
using PartnerAccounts.Application.TaxExemptions.GetTaxExemption;
using PartnerAccounts.Application.TaxExemptions.ListTaxExemptions;
using PartnerAccounts.Application.TaxExemptions.RemoveTaxExemption;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class TaxExemptions : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var exemptions = v1.MapGroup("/accounts/{accountId}/tax-exemptions").WithTags("Tax exemptions");
        exemptions.MapGet("/", ListTaxExemptions).WithName(nameof(ListTaxExemptions))
            .WithSummary("List the account's tax exemptions in the order they were added")
            .ProducesProblems(400, 401, 403, 404);
        exemptions.MapPost("/", AddTaxExemption).WithName(nameof(AddTaxExemption))
            .WithSummary("Add a tax exemption certificate (country, certificate id, expiry in the future)")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415);
        exemptions.MapGet("/{exemptionId}", GetTaxExemption).WithName(nameof(GetTaxExemption))
            .WithSummary("Read one tax exemption")
            .ProducesProblems(400, 401, 403, 404);
        exemptions.MapDelete("/{exemptionId}", RemoveTaxExemption).WithName(nameof(RemoveTaxExemption))
            .WithSummary("Remove a tax exemption; exemptions are never changed after they are added, so no If-Match is needed")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Ok<PageResponse<TaxExemptionResponse>>, ProblemHttpResult>> ListTaxExemptions(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListTaxExemptionsQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, TaxExemptionsMapper.ToResponse);

    public static async Task<Results<Created<TaxExemptionResponse>, ProblemHttpResult>> AddTaxExemption(
        Guid accountId, TaxExemptionRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCommand(accountId), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/tax-exemptions/{result.Value.Id}", result.Value.ToResponse());
    }

    public static async Task<Results<Ok<TaxExemptionResponse>, ProblemHttpResult>> GetTaxExemption(
        Guid accountId, Guid exemptionId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetTaxExemptionQuery(accountId, exemptionId), cancellationToken)).Ok(http, TaxExemptionsMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveTaxExemption(
        Guid accountId, Guid exemptionId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RemoveTaxExemptionCommand(accountId, exemptionId), cancellationToken)).NoContent(http);
}
