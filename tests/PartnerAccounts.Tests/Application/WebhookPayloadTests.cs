using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Application.Webhooks;

namespace PartnerAccounts.Tests.Application;

/// <summary>
/// The body the worker writes around an event's stored data (<see cref="WebhookPayload.Compose"/>, without parsing it) is the
/// text the serializer makes of a <see cref="WebhookPayload"/> (as pings are built and as the worker built every body before),
/// so receivers see the same bytes whichever way a body was made.
/// </summary>
public sealed class WebhookPayloadTests
{
    [TestCase("""{"accountId":"5b0e7c8e-7a43-4d5e-9a1f-0c6f5f2e9b11","changed":["email","phone"]}""")]
    [TestCase("""{"name":"M\u00fcller \u0026 S\u00f6hne","note":"line\nbreak \"quoted\"","n":12.5,"ok":true,"none":null}""")]
    [TestCase("""{"nested":{"list":[{"a":1},{"b":[]}],"empty":{}}}""")]
    public void Compose_ShouldWriteWhatTheSerializerWritesForTheSameEvent(string written)
    {
        // An event's data as the outbox stores it: a JSON object written by the serializer (AuditEventMap.Serialize).
        var data = JsonNode.Parse(written)!.ToJsonString(JsonSerializerOptions.Web);
        var timestamp = new DateTime(2026, 12, 2, 13, 4, 5, 123, DateTimeKind.Utc).AddTicks(4567);
        using var document = JsonDocument.Parse(data);
        var serialized = JsonSerializer.Serialize(new WebhookPayload("profile.updated", timestamp, document.RootElement), WebhookPayload.JsonOptions);

        var composed = WebhookPayload.Compose("profile.updated", timestamp, data);

        Assert.That(composed, Is.EqualTo(serialized));
    }
}
