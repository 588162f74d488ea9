using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.ApiKeys.GetApiKey;
using PartnerAccounts.Application.ApiKeys.ListApiKeys;
using PartnerAccounts.Application.ApiKeys.RevokeApiKey;
using PartnerAccounts.Application.Common.Paging;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class ApiKeys : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var keys = v1.MapGroup("/accounts/{accountId}/api-keys").WithTags("API keys");
        keys.MapPost("/", CreateApiKey).WithName(nameof(CreateApiKey))
            .WithSummary("Create an API key for MPN ID verification; the secret is in this response only")
            .ProducesProblems(400, 401, 403, 404, 413, 415);
        keys.MapGet("/", ListApiKeys).WithName(nameof(ListApiKeys))
            .WithSummary("The account's API keys, oldest first: name, prefix, creation and last use (recorded about once a minute), never the secret")
            .ProducesProblems(400, 401, 403, 404);
        keys.MapGet("/{keyId}", GetApiKey).WithName(nameof(GetApiKey))
            .WithSummary("Read an API key (never its secret)")
            .ProducesProblems(400, 401, 403, 404);
        keys.MapDelete("/{keyId}", RevokeApiKey).WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke an API key; it stops working at once")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateApiKey(
        Guid accountId, ApiKeyRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCommand(accountId), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        // The body holds a secret: no cache anywhere may keep it.
        http.Response.Headers.CacheControl = "no-store";
        var created = result.Value;
        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/api-keys/{created.Key.Id}", created.ToResponse());
    }

    public static async Task<Results<Ok<PageResponse<ApiKeyResponse>>, ProblemHttpResult>> ListApiKeys(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListApiKeysQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, ApiKeysMapper.ToResponse);

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetApiKey(
        Guid accountId, Guid keyId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetApiKeyQuery(accountId, keyId), cancellationToken)).Ok(http, ApiKeysMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        Guid accountId, Guid keyId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RevokeApiKeyCommand(accountId, keyId), cancellationToken)).NoContent(http);
}
