using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Accounts.GetAccount;
using PartnerAccounts.Application.Accounts.ListMyAccounts;
using PartnerAccounts.Application.Common.Paging;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Accounts : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var accounts = v1.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapPost("/", CreateAccount).WithName(nameof(CreateAccount))
            .WithSummary("Enroll a company; the caller becomes its first Global admin")
            .ProducesProblems(400, 401, 409, 413, 415, 422);
        accounts.MapGet("/{accountId}", GetAccount).WithName(nameof(GetAccount))
            .WithSummary("Account summary: names, verification, programs, settings areas, MPN ID")
            .ProducesProblems(400, 401, 403, 404);

        var me = v1.MapGroup("/me").WithTags("Accounts");
        me.MapGet("/accounts", ListMyAccounts).WithName(nameof(ListMyAccounts))
            .WithSummary("The account picker: every account the caller belongs to, with the caller's roles in each")
            .ProducesProblems(400, 401);
    }

    public static async Task<Results<Created<AccountResponse>, ProblemHttpResult>> CreateAccount(
        CreateAccountRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCommand(), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{result.Value.Id}", result.Value.ToResponse());
    }

    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> GetAccount(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAccountQuery(accountId), cancellationToken)).Ok(http, ContractMapper.ToResponse);

    public static async Task<Results<Ok<PageResponse<MyAccountResponse>>, ProblemHttpResult>> ListMyAccounts(
        HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListMyAccountsQuery(new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, ContractMapper.ToResponse);
}
