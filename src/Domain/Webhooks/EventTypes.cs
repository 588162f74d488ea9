namespace PartnerAccounts.Domain.Webhooks;

/// <summary>The catalogue of event types an account's webhooks can subscribe to; <see cref="All"/> (<c>*</c>) subscribes to every one.</summary>
public static class EventTypes
{
    public const string All = "*";
    public const string AccountStatusChanged = "account.status.changed";
    public const string AccountVerificationChanged = "account.verification.changed";
    public const string ProfileUpdated = "profile.updated";
    public const string LocationCreated = "location.created";
    public const string LocationDeleted = "location.deleted";
    public const string UserInvited = "user.invited";
    public const string UserRemoved = "user.removed";
    public const string UserRolesChanged = "user.roles.changed";
    public const string EnrollmentStatusChanged = "enrollment.status.changed";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string MpnPartnerNameChanged = "mpn.partner_name.changed";

    /// <summary>Sent only by <c>POST .../webhooks/{webhookId}/pings</c>, to that webhook alone; never in the events feed.</summary>
    public const string Ping = "webhook.ping";

    public static readonly IReadOnlyList<string> Catalogue =
    [
        AccountStatusChanged, AccountVerificationChanged, ProfileUpdated, LocationCreated, LocationDeleted, UserInvited, UserRemoved,
        UserRolesChanged, EnrollmentStatusChanged, ApiKeyCreated, ApiKeyRevoked, MpnPartnerNameChanged,
    ];

    private static readonly HashSet<string> Known = new(Catalogue, StringComparer.Ordinal);

    public static bool IsSubscribable(string type) => type == All || Known.Contains(type);
}
