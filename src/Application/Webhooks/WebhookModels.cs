using System.Linq.Expressions;
using FluentValidation;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Application.Webhooks;

/// <summary>A webhook as reads show it: never a secret.</summary>
public sealed record WebhookDto(Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime CreatedAt, DateTime? SecretRotatedAt, DateTime? PreviousSecretExpiresAt)
{
    public static WebhookDto From(Webhook w) => new(w.Id, w.Url, [.. w.Events], w.Enabled, w.CreatedAt, w.SecretRotatedAt, w.PreviousSecretExpiresAt);
}

/// <summary>A new webhook with its signing secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhookDto(WebhookDto Webhook, int Version, string Secret);

/// <summary>A webhook's new signing secret (shown once) and until when the previous one still signs.</summary>
public sealed record RotatedWebhookSecretDto(Guid WebhookId, string Secret, DateTime PreviousSecretExpiresAt);

public sealed record DeliveryDto(
    Guid Id, Guid WebhookId, Guid EventId, string EventType, DeliveryStatus Status, int Attempts, DateTime CreatedAt, DateTime? LastAttemptAt,
    int? ResponseStatus, int? DurationMs, string? Error, DateTime? NextAttemptAt, DateTime? DeliveredAt)
{
    public static readonly Expression<Func<WebhookDelivery, DeliveryDto>> Projection = d => new DeliveryDto(
        d.Id, d.WebhookId, d.MessageId, d.EventType, d.Status, d.Attempts, d.CreatedAt, d.LastAttemptAt,
        d.LastResponseStatus, d.LastDurationMs, d.LastError, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt);

    public static readonly Func<WebhookDelivery, DeliveryDto> From = Projection.Compile();
}

/// <summary>
/// Whether a receiver URL may be subscribed: <c>https</c>, no credentials in it, and every address it resolves to public
/// (unless <c>Webhooks:AllowPrivateTargets</c>). The delivery worker checks the address again when it connects.
/// </summary>
public interface IWebhookTargets
{
    Task<Error?> CheckAsync(Uri url, CancellationToken cancellationToken);
}

/// <summary>Wakes this node's delivery worker (after a ping or redelivery), so it does not wait for its next poll.</summary>
public interface IWebhookWorkerSignal
{
    void Wake();
}

internal static class WebhookRules
{
    public const string AuditResource = "webhooks";

    public static readonly Error NotFound = Error.NotFound("webhook_not_found", "The webhook does not exist.");

    public static readonly Error DeliveryNotFound = Error.NotFound("delivery_not_found", "The delivery does not exist.");

    public static void ValidateWebhook<T>(this AbstractValidator<T> validator, Expression<Func<T, string?>> url, Expression<Func<T, IEnumerable<string>?>> events, Expression<Func<T, bool?>> enabled)
    {
        validator.RuleFor(url).NotEmpty().MaximumLength(FieldLimits.Url)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
            .WithMessage("Must be an absolute https URL.");
        validator.RuleFor(events).NotEmpty().Must(e => e!.Count() <= Webhook.MaxEvents).WithMessage($"At most {Webhook.MaxEvents} event types.");
        validator.RuleForEach<string>(events!).NotEmpty().Must(t => EventTypes.IsSubscribable(t))
            .WithMessage($"Must be one of: {string.Join(", ", EventTypes.Catalogue)}, or \"*\" for all.");
        validator.RuleFor(enabled).NotNull();
    }
}
