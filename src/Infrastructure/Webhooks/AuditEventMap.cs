using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>
/// The one table from audited changes to events: every use case already audits its change in the same unit of work, so a new
/// use case emits its event by being audited with an action and resource listed here. <c>data</c> is built from the audit
/// snapshots (read models, which never hold a secret): <c>accountId</c>, <c>resourceId</c> when the change has one,
/// <c>before</c> and <c>after</c>; <c>profile.updated</c> adds <c>profile</c> (which one), and a legal name change also yields
/// <c>mpn.partner_name.changed</c> (the MPN partner name is the legal company name).
/// </summary>
public static class AuditEventMap
{
    private const string ProfilePrefix = "profiles/";

    private static readonly Dictionary<(string Action, string Resource), string> Types = new()
    {
        [("statusChanged", "account")] = EventTypes.AccountStatusChanged,
        [("verificationDecided", "verification")] = EventTypes.AccountVerificationChanged,
        [("verificationRestarted", "verification")] = EventTypes.AccountVerificationChanged,
        [("created", "locations")] = EventTypes.LocationCreated,
        [("deleted", "locations")] = EventTypes.LocationDeleted,
        [("invited", "users")] = EventTypes.UserInvited,
        [("removed", "users")] = EventTypes.UserRemoved,
        [("roleAssigned", "users/roles")] = EventTypes.UserRolesChanged,
        [("roleRemoved", "users/roles")] = EventTypes.UserRolesChanged,
        [("enrolled", "enrollments")] = EventTypes.EnrollmentStatusChanged,
        [("enrollmentDecided", "enrollments")] = EventTypes.EnrollmentStatusChanged,
        [("withdrawn", "enrollments")] = EventTypes.EnrollmentStatusChanged,
        [("created", "api-keys")] = EventTypes.ApiKeyCreated,
        [("revoked", "api-keys")] = EventTypes.ApiKeyRevoked,
    };

    /// <summary>The events one audit record stands for (none for most of what is audited but not published, such as password resets).</summary>
    public static IEnumerable<(string Type, JsonObject Data)> EventsOf(AuditRecord record)
    {
        if (record.Action == "updated" && record.Resource.StartsWith(ProfilePrefix, StringComparison.Ordinal))
        {
            var profile = record.Resource[ProfilePrefix.Length..];
            var data = DataOf(record);
            data["profile"] = profile;
            yield return (EventTypes.ProfileUpdated, data);

            if (profile == "legalbusiness" && PartnerNameChange(record) is { } change)
            {
                yield return (EventTypes.MpnPartnerNameChanged, change);
            }

            yield break;
        }

        if (Types.TryGetValue((record.Action, record.Resource), out var type))
        {
            yield return (type, DataOf(record));
        }
    }

    private static JsonObject DataOf(AuditRecord record)
    {
        var data = new JsonObject { ["accountId"] = record.AccountId };
        if (record.ResourceId is not null)
        {
            data["resourceId"] = record.ResourceId;
        }

        data["before"] = Parse(record.Before);
        data["after"] = Parse(record.After);
        return data;
    }

    private static JsonObject? PartnerNameChange(AuditRecord record)
    {
        var before = Parse(record.Before)?["companyName"]?.GetValue<string>();
        var after = Parse(record.After)?["companyName"]?.GetValue<string>();
        return after is null || string.Equals(before, after, StringComparison.Ordinal)
            ? null
            : new JsonObject
            {
                ["accountId"] = record.AccountId,
                ["before"] = before is null ? null : new JsonObject { ["partnerName"] = before },
                ["after"] = new JsonObject { ["partnerName"] = after },
            };
    }

    private static JsonNode? Parse(string? snapshot) => snapshot is null ? null : JsonNode.Parse(snapshot);

    internal static string Serialize(JsonObject data) => data.ToJsonString(JsonSerializerOptions.Web);
}
