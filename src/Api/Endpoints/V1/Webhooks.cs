using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Events.ListEvents;
using PartnerAccounts.Application.Webhooks.DeleteWebhook;
using PartnerAccounts.Application.Webhooks.GetWebhook;
using PartnerAccounts.Application.Webhooks.ListDeliveries;
using PartnerAccounts.Application.Webhooks.ListWebhooks;
using PartnerAccounts.Application.Webhooks.PingWebhook;
using PartnerAccounts.Application.Webhooks.Redeliver;
using PartnerAccounts.Application.Webhooks.RotateWebhookSecret;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Webhooks : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var webhooks = v1.MapGroup("/accounts/{accountId}/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", CreateWebhook).WithName(nameof(CreateWebhook))
            .WithSummary("Subscribe a receiver to the account's events; the signing secret is in this response only")
            .WithResponseHeader(201, "ETag")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);
        webhooks.MapGet("/", ListWebhooks).WithName(nameof(ListWebhooks))
            .WithSummary("The account's webhooks, oldest first (never their secrets)")
            .ProducesProblems(400, 401, 403, 404);
        webhooks.MapGet("/{webhookId}", GetWebhook).WithName(nameof(GetWebhook))
            .WithSummary("Read a webhook (never its secret)")
            .ProducesProblems(400, 401, 403, 404);
        webhooks.MapPut("/{webhookId}", ReplaceWebhook).WithName(nameof(ReplaceWebhook))
            .WithSummary("Replace a webhook's URL, event types and enabled flag (If-Match); its secret stays")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 422, 428);
        webhooks.MapDelete("/{webhookId}", DeleteWebhook).WithName(nameof(DeleteWebhook))
            .WithSummary("Delete a webhook (If-Match) and its delivery log; nothing more is sent to it")
            .ProducesProblems(400, 401, 403, 404, 412, 428);
        webhooks.MapPost("/{webhookId}/secret-rotations", RotateWebhookSecret).WithName(nameof(RotateWebhookSecret))
            .WithSummary("Issue a new signing secret (in this response only); the previous one keeps signing too for 24 hours")
            .ProducesProblems(400, 401, 403, 404);
        webhooks.MapGet("/{webhookId}/deliveries", ListWebhookDeliveries).WithName(nameof(ListWebhookDeliveries))
            .WithSummary("The webhook's delivery log, newest first: attempts, status, last response status and duration, next attempt")
            .ProducesProblems(400, 401, 403, 404);
        webhooks.MapPost("/{webhookId}/deliveries/{deliveryId}/redeliveries", RedeliverWebhookDelivery).WithName(nameof(RedeliverWebhookDelivery))
            .WithSummary("Send a delivery's message again, as a new delivery with the same webhook-id")
            .ProducesProblems(400, 401, 403, 404);
        webhooks.MapPost("/{webhookId}/pings", PingWebhook).WithName(nameof(PingWebhook))
            .WithSummary("Send a signed webhook.ping message to this webhook, to test the receiver")
            .ProducesProblems(400, 401, 403, 404);

        v1.MapGroup("/accounts/{accountId}/events").WithTags("Webhooks")
            .MapGet("/", ListEvents).WithName(nameof(ListEvents))
            .WithSummary("The account's events for polling, oldest first, after the cursor of the last one you processed; kept 30 days")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Created<CreatedWebhookResponse>, ProblemHttpResult>> CreateWebhook(
        Guid accountId, WebhookRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCreateCommand(accountId), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        // The body holds a secret: no cache anywhere may keep it.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ETag = ETags.Format(result.Value.Version);
        var created = result.Value;
        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/webhooks/{created.Webhook.Id}", created.ToResponse());
    }

    public static async Task<Results<Ok<PageResponse<WebhookResponse>>, ProblemHttpResult>> ListWebhooks(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListWebhooksQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, WebhooksMapper.ToResponse);

    public static async Task<Results<Ok<WebhookResponse>, NotModifiedResult, ProblemHttpResult>> GetWebhook(
        Guid accountId, Guid webhookId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWebhookQuery(accountId, webhookId), cancellationToken)).Versioned(http, WebhooksMapper.ToResponse);

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> ReplaceWebhook(
        Guid accountId, Guid webhookId, WebhookRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToReplaceCommand(accountId, webhookId, ETags.IfMatchOf(http.Request)), cancellationToken))
            .Written(http, WebhooksMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(
        Guid accountId, Guid webhookId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new DeleteWebhookCommand(accountId, webhookId, ETags.IfMatchOf(http.Request)), cancellationToken)).NoContent(http);

    public static async Task<Results<Ok<WebhookSecretResponse>, ProblemHttpResult>> RotateWebhookSecret(
        Guid accountId, Guid webhookId, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RotateWebhookSecretCommand(accountId, webhookId), cancellationToken);
        if (result.IsSuccess)
        {
            http.Response.Headers.CacheControl = "no-store";
        }

        return result.Ok(http, WebhooksMapper.ToResponse);
    }

    public static async Task<Results<Ok<PageResponse<DeliveryResponse>>, ProblemHttpResult>> ListWebhookDeliveries(
        Guid accountId, Guid webhookId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListDeliveriesQuery(accountId, webhookId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, WebhooksMapper.ToResponse);

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> RedeliverWebhookDelivery(
        Guid accountId, Guid webhookId, Guid deliveryId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        Queued(await mediator.Send(new RedeliverCommand(accountId, webhookId, deliveryId), cancellationToken), accountId, webhookId, http);

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> PingWebhook(
        Guid accountId, Guid webhookId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        Queued(await mediator.Send(new PingWebhookCommand(accountId, webhookId), cancellationToken), accountId, webhookId, http);

    public static async Task<Results<Ok<PageResponse<EventResponse>>, ProblemHttpResult>> ListEvents(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, string? after = null, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListEventsQuery(accountId, after, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, WebhooksMapper.ToResponse);

    /// <summary>202: the delivery is queued; the worker sends it at once, and its log entry shows how it went.</summary>
    private static Results<Accepted<DeliveryResponse>, ProblemHttpResult> Queued(
        Domain.Common.Result<Application.Webhooks.DeliveryDto> result, Guid accountId, Guid webhookId, HttpContext http) =>
        result.IsSuccess
            ? TypedResults.Accepted($"{http.Request.PathBase}/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries", result.Value.ToResponse())
            : Problems.From(result.Error!, http);
}
