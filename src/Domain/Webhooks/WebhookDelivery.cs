namespace PartnerAccounts.Domain.Webhooks;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One message to one webhook, tried until the receiver answers 2xx or the retry window ends. A worker claims a pending delivery
/// by moving <see cref="NextAttemptAt"/> to the end of its lease (and setting <see cref="LeaseId"/>): if the process dies
/// mid-attempt, the delivery becomes due again when the lease runs out, on whichever node comes first.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
        EventType = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WebhookId { get; private set; }

    public Guid AccountId { get; private set; }

    /// <summary>The <c>webhook-id</c> header: the event's id, the same on every attempt and redelivery, so receivers can drop duplicates.</summary>
    public Guid MessageId { get; private set; }

    public string EventType { get; private set; }

    /// <summary>
    /// The exact body sent (<c>{"type", "timestamp", "data"}</c>) when it is not composed from an event: a ping's. Null for the
    /// delivery of an event (and its redeliveries): the body is composed from the event (<see cref="MessageId"/>) when it is
    /// sent, always the same, so a delivery row carries no copy of it.
    /// </summary>
    public string? Payload { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? NextAttemptAt { get; private set; }

    public Guid? LeaseId { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }

    public int? LastResponseStatus { get; private set; }

    public int? LastDurationMs { get; private set; }

    public string? LastError { get; private set; }

    public DateTime? DeliveredAt { get; private set; }

    public static WebhookDelivery Create(Guid id, Guid webhookId, Guid accountId, Guid messageId, string eventType, string? payload, DateTime now) => new()
    {
        Id = id,
        WebhookId = webhookId,
        AccountId = accountId,
        MessageId = messageId,
        EventType = eventType,
        Payload = payload,
        Status = DeliveryStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>A new delivery of the same message (same <c>webhook-id</c>), tried at once.</summary>
    public WebhookDelivery Redeliver(Guid id, DateTime now) => Create(id, WebhookId, AccountId, MessageId, EventType, Payload, now);
}
