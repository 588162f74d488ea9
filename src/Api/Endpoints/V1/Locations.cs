using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Locations.DeleteLocation;
using PartnerAccounts.Application.Locations.GetLocation;
using PartnerAccounts.Application.Locations.ListLocations;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Locations : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var locations = v1.MapGroup("/accounts/{accountId}/locations").WithTags("Locations");
        locations.MapGet("/", ListLocations).WithName(nameof(ListLocations))
            .WithSummary("The company's locations, oldest first, each with its own location MPN ID")
            .ProducesProblems(400, 401, 403, 404);
        locations.MapPost("/", CreateLocation).WithName(nameof(CreateLocation))
            .WithSummary("Add a location; it gets its own new location MPN ID")
            .WithResponseHeader(201, "ETag")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415);
        locations.MapGet("/{locationId}", GetLocation).WithName(nameof(GetLocation))
            .WithSummary("Read a location")
            .ProducesProblems(400, 401, 403, 404);
        locations.MapPut("/{locationId}", ReplaceLocation).WithName(nameof(ReplaceLocation))
            .WithSummary("Replace a location's name and address (If-Match); its MPN ID never changes")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.Location, "locationId");
        locations.MapDelete("/{locationId}", DeleteLocation).WithName(nameof(DeleteLocation))
            .WithSummary("Delete a location (If-Match); the last remaining location cannot be deleted (409 last_location)")
            .ProducesProblems(400, 401, 403, 404, 409, 412, 428);
    }

    public static async Task<Results<Ok<PageResponse<LocationResponse>>, ProblemHttpResult>> ListLocations(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListLocationsQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, LocationsMapper.ToResponse);

    public static async Task<Results<Created<LocationResponse>, ProblemHttpResult>> CreateLocation(
        Guid accountId, LocationRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCreateCommand(accountId), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        var location = result.Value.Value;
        http.Response.Headers.ETag = ETags.Format(result.Value.Version);
        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/locations/{location.Id}", location.ToResponse());
    }

    public static async Task<Results<Ok<LocationResponse>, NotModifiedResult, ProblemHttpResult>> GetLocation(
        Guid accountId, Guid locationId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetLocationQuery(accountId, locationId), cancellationToken)).Versioned(http, LocationsMapper.ToResponse);

    public static async Task<Results<Ok<LocationResponse>, ProblemHttpResult>> ReplaceLocation(
        Guid accountId, Guid locationId, LocationRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToReplaceCommand(accountId, locationId, ETags.IfMatchOf(http.Request)), cancellationToken))
            .Written(http, LocationsMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteLocation(
        Guid accountId, Guid locationId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new DeleteLocationCommand(accountId, locationId, ETags.IfMatchOf(http.Request)), cancellationToken)).NoContent(http);
}
