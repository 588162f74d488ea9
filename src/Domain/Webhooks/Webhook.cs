using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Webhooks;

/// <summary>
/// An account's subscription: where to send which events. The signing secret is kept only protected (encrypted, since signing
/// needs it back); after a rotation the previous secret keeps signing, beside the new one, until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed class Webhook
{
    /// <summary>How long a rotated-out secret keeps signing deliveries, so receivers can switch without missing any.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public const int MaxPerAccount = 10;
    public const int MaxEvents = 20;

    private Webhook()
    {
        Url = string.Empty;
        Events = [];
        ProtectedSecret = string.Empty;
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Url { get; private set; }

    public List<string> Events { get; private set; }

    public bool Enabled { get; private set; }

    public string ProtectedSecret { get; private set; }

    /// <summary>Names the current secret (a new one on every rotation), so an idempotent replay can tell whether the secret it carries is still current.</summary>
    public Guid SecretId { get; private set; }

    public string? PreviousProtectedSecret { get; private set; }

    public DateTime? PreviousSecretExpiresAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>
    /// Which of the account's <see cref="MaxPerAccount"/> places the webhook holds (1 based, unique per account): two creations
    /// racing for the last place cannot both commit, whichever database runs the service. A deleted webhook frees its place.
    /// </summary>
    public int Slot { get; private set; }

    public DateTime? SecretRotatedAt { get; private set; }

    public int Version { get; private set; }

    public static Webhook Create(
        Guid id, Guid accountId, int slot, string url, IReadOnlyCollection<string> events, bool enabled, string protectedSecret, string createdBy, DateTime now) => new()
    {
        Id = id,
        AccountId = accountId,
        Slot = AccountSlots.Checked(slot, MaxPerAccount),
        Url = url,
        Events = Normalize(events),
        Enabled = enabled,
        ProtectedSecret = protectedSecret,
        SecretId = Guid.NewGuid(),
        CreatedAt = now,
        CreatedBy = createdBy,
        Version = 1,
    };

    public void Replace(string url, IReadOnlyCollection<string> events, bool enabled)
    {
        Url = url;
        Events = Normalize(events);
        Enabled = enabled;
        Version++;
    }

    /// <summary>The new secret signs from now on; the current one keeps signing too for <see cref="RotationOverlap"/>.</summary>
    public void RotateSecret(string protectedSecret, DateTime now)
    {
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + RotationOverlap;
        ProtectedSecret = protectedSecret;
        SecretId = Guid.NewGuid();
        SecretRotatedAt = now;
        Version++;
    }

    public bool Subscribes(string eventType) => Enabled && (Events.Contains(EventTypes.All) || Events.Contains(eventType));

    /// <summary>The protected secrets that sign a delivery made at <paramref name="now"/>: the current one first.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTime now) =>
        PreviousProtectedSecret is { } previous && PreviousSecretExpiresAt > now ? [ProtectedSecret, previous] : [ProtectedSecret];

    public static readonly Error LimitReached = Error.Conflict("webhook_limit_reached", $"An account has at most {MaxPerAccount} webhooks; delete one first.");

    private static List<string> Normalize(IReadOnlyCollection<string> events) =>
        events.Contains(EventTypes.All) ? [EventTypes.All] : [.. events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
