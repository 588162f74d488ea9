using System.Text;
using System.Text.Json;

namespace PartnerAccounts.Application.Webhooks;

/// <summary>The body of every delivery, as the Standard Webhooks specification shapes it; <c>data</c> never holds a secret.</summary>
public sealed record WebhookPayload(string Type, DateTime Timestamp, JsonElement Data)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The body of an event whose data is already JSON (an event row's <c>Data</c>, written by the outbox): the same text
    /// <see cref="JsonSerializer"/> makes of a <see cref="WebhookPayload"/> with <see cref="JsonOptions"/> when the data is compact
    /// JSON, written around the data as it is instead of parsing it into a document and writing it out again.
    /// </summary>
    public static string Compose(string type, DateTime timestamp, string dataJson)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(dataJson.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", timestamp);
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
