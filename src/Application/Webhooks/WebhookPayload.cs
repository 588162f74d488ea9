using System.Text.Json;

namespace PartnerAccounts.Application.Webhooks;

/// <summary>The body of every delivery, as the Standard Webhooks specification shapes it; <c>data</c> never holds a secret.</summary>
public sealed record WebhookPayload(string Type, DateTime Timestamp, JsonElement Data)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
