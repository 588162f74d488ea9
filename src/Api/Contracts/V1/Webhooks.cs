using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>A webhook subscription, sent to create one and to replace one.</summary>
public sealed record WebhookRequest
{
    /// <summary>
    /// The receiver: an absolute <c>https</c> URL that resolves to public addresses only (no credentials in it); anything else is
    /// 422 <c>webhook_url_not_allowed</c>.
    /// </summary>
    [Required, MaxLength(FieldLimits.Url)]
    public string? Url { get; init; }

    /// <summary>
    /// The event types to receive: <c>account.status.changed</c>, <c>account.verification.changed</c>, <c>profile.updated</c>,
    /// <c>location.created</c>, <c>location.deleted</c>, <c>user.invited</c>, <c>user.removed</c>, <c>user.roles.changed</c>,
    /// <c>enrollment.status.changed</c>, <c>apikey.created</c>, <c>apikey.revoked</c>, <c>mpn.partner_name.changed</c>, or
    /// <c>*</c> for all of them.
    /// </summary>
    [Required, MinLength(1), MaxLength(20), ItemLimits(64, MinLength = 1)]
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Whether events are sent to it; a disabled webhook keeps its secret and its delivery log.</summary>
    [Required]
    public bool? Enabled { get; init; }
}

/// <summary>A webhook subscription; its signing secret is never shown again after creation.</summary>
/// <param name="Id">The webhook id.</param>
/// <param name="Url">Where deliveries are sent.</param>
/// <param name="Events">The subscribed event types (<c>*</c> for all).</param>
/// <param name="Enabled">Whether events are sent to it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="SecretRotatedAt">When the secret was last rotated, if ever.</param>
/// <param name="PreviousSecretExpiresAt">Until when deliveries are also signed with the secret before the last rotation.</param>
public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime CreatedAt, DateTime? SecretRotatedAt, DateTime? PreviousSecretExpiresAt);

/// <summary>A new webhook with its signing secret (<c>whsec_...</c>): the only time it is shown; store it now to verify deliveries.</summary>
public sealed record CreatedWebhookResponse(
    Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime CreatedAt, DateTime? SecretRotatedAt, DateTime? PreviousSecretExpiresAt, [WithheldOnReplay] string Secret);

/// <summary>The webhook's new signing secret (shown only here). Deliveries carry a signature with the previous secret too until <c>previousSecretExpiresAt</c>.</summary>
public sealed record WebhookSecretResponse(Guid WebhookId, [WithheldOnReplay] string Secret, DateTime PreviousSecretExpiresAt);

/// <summary>One message to a webhook and how its delivery went.</summary>
/// <param name="Id">The delivery id (for redeliveries).</param>
/// <param name="WebhookId">The webhook it goes to.</param>
/// <param name="EventType">The event type, or <c>webhook.ping</c>.</param>
/// <param name="CreatedAt">When the delivery was queued.</param>
/// <param name="LastAttemptAt">When the last attempt started.</param>
/// <param name="DeliveredAt">When the receiver answered 2xx.</param>
/// <param name="EventId">The message id (the <c>webhook-id</c> header): the same on every attempt and redelivery.</param>
/// <param name="Status"><c>pending</c> until the receiver answers 2xx (<c>delivered</c>) or the retry window ends (<c>failed</c>).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="ResponseStatus">The HTTP status of the last attempt's answer; null when there was none (time-out, refused connection).</param>
/// <param name="DurationMs">How long the last attempt took.</param>
/// <param name="Error">Why the last attempt failed, when it did.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
public sealed record DeliveryResponse(
    Guid Id, Guid WebhookId, Guid EventId, string EventType, DeliveryStatus Status, int Attempts, DateTime CreatedAt, DateTime? LastAttemptAt,
    int? ResponseStatus, int? DurationMs, string? Error, DateTime? NextAttemptAt, DateTime? DeliveredAt);

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>An event of the account, as webhooks receive it (<c>type</c>, <c>timestamp</c>, <c>data</c>) plus its id and feed cursor.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Timestamp">When the change was saved (UTC).</param>
/// <param name="Id">The event id, also the <c>webhook-id</c> of its deliveries.</param>
/// <param name="Data">What changed: <c>accountId</c>, <c>resourceId</c> when the change has one, <c>before</c> and <c>after</c> (non-secret fields); <c>profile.updated</c> also names the <c>profile</c>.</param>
/// <param name="Cursor">Pass as <c>after</c> to read the events that follow this one.</param>
public sealed record EventResponse(Guid Id, string Type, DateTime Timestamp, JsonElement Data, string Cursor);
