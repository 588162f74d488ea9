using System.ComponentModel.DataAnnotations;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>; every value is validated when the service starts.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Lets receivers on loopback, private and link-local addresses (and plain http) through: for tests only.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Whether this node runs the delivery worker (outbox dispatch, deliveries, purge); nodes without it still write events.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At most this many deliveries in flight on one node (and connections per receiver). A node holds at most
    /// <c>MaxConcurrency x (Lease / Timeout - 1)</c> deliveries claimed, 320 by default: about 1,600 deliveries/s in 200 ms rounds.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>How often the worker looks for work written by other nodes (its own node wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first retry comes after about this long; each next one after twice as long (with jitter), up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery is retried until this long after it was created, then marked failed.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a claimed delivery stays claimed: a node that dies mid-attempt leaves it to be retried after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Events (the polling feed) and finished deliveries are kept this many days.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Webhooks:Timeout must be between 0 and 5 minutes.", [nameof(Timeout)]);
        }

        if (Lease <= Timeout)
        {
            yield return new ValidationResult("Webhooks:Lease must be longer than Webhooks:Timeout, or a slow attempt could be sent twice at once.", [nameof(Lease)]);
        }

        if (PollInterval <= TimeSpan.Zero || RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay || RetryWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult(
                "Webhooks:PollInterval, RetryBaseDelay and RetryWindow must be positive, and RetryMaxDelay at least RetryBaseDelay.",
                [nameof(PollInterval), nameof(RetryBaseDelay), nameof(RetryMaxDelay), nameof(RetryWindow)]);
        }
    }
}
