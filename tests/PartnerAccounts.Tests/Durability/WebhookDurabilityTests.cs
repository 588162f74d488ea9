using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PartnerAccounts.Tests.Http.Webhooks;

namespace PartnerAccounts.Tests.Durability;

/// <summary>
/// At least once across a crash: the API runs as a process of its own, a receiver holds its delivery open, the process is
/// killed with SIGKILL mid-delivery and started again on the same database. The delivery's lease runs out and the restarted
/// process sends the same message (same <c>webhook-id</c>) again, which this time is answered and marked delivered.
/// </summary>
[Category("Durability")]
[NonParallelizable]
public sealed class WebhookDurabilityTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Webhooks__AllowPrivateTargets"] = "true",
        ["Webhooks__PollInterval"] = "00:00:00.100",
        ["Webhooks__RetryBaseDelay"] = "00:00:00.200",
        ["Webhooks__RetryMaxDelay"] = "00:00:00.500",
        ["Webhooks__Timeout"] = "00:00:04",
        ["Webhooks__Lease"] = "00:00:05",
    };

    private string _databaseFile = null!;

    [SetUp]
    public void CreateDatabaseFile() => _databaseFile = Path.Combine(Path.GetTempPath(), $"partneraccounts-webhooks-{Guid.NewGuid():N}.db");

    [TearDown]
    public void DeleteDatabaseFile()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Delivery_WhenTheProcessIsKilledMidDelivery_ShouldBeSentAgainAfterTheRestartAndMarkedDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = receiver.NewEndpoint();
        receiver.Hang(endpoint);
        var email = $"crash-{Guid.NewGuid():N}@example.com";
        Guid accountId;
        Guid webhookId;

        var first = await ApiProcess.StartAsync(_databaseFile, StartTimeout, Settings);
        try
        {
            using var client = first.ClientFor(email);
            using (var created = await client.PostAsJsonAsync("/v1/accounts", new
            {
                legalName = "Crash Test Ltd",
                address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
                primaryContact = new { firstName = "Pat", lastName = "Lee", email = "pat@crash.example", phoneNumber = "+1 206 555 0100" },
            }))
            {
                Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
                accountId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
            }

            using (var subscribed = await client.PostAsJsonAsync($"/v1/accounts/{accountId}/webhooks", new { url = endpoint.ToString(), events = new[] { "profile.updated" }, enabled = true }))
            {
                var webhook = JsonNode.Parse(await subscribed.Content.ReadAsStringAsync())!;
                Assert.That(subscribed.StatusCode, Is.EqualTo(HttpStatusCode.Created), webhook.ToJsonString());
                webhookId = webhook["id"]!.GetValue<Guid>();
                receiver.Trust(endpoint, webhook["secret"]!.GetValue<string>());
            }

            using var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{accountId}/profiles/support") { Content = JsonContent.Create(new { email = "help@crash.example" }) };
            put.Headers.TryAddWithoutValidation("If-Match", "*");
            using (var response = await client.SendAsync(put))
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            }

            await receiver.WaitForAsync(endpoint, 1);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        receiver.Hang(endpoint, hang: false);
        var restarted = Stopwatch.StartNew();
        await using var second = await ApiProcess.StartAsync(_databaseFile, StartTimeout, Settings);
        var received = await receiver.WaitForAsync(endpoint, 2, timeout: TimeSpan.FromSeconds(30));
        using var admin = second.ClientFor(email);
        JsonObject? delivery = null;
        while (restarted.Elapsed < TimeSpan.FromSeconds(30))
        {
            var log = JsonNode.Parse(await admin.GetStringAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries", UriKind.Relative)))!;
            delivery = log["items"]!.AsArray().Single()!.AsObject();
            if (delivery["status"]!.GetValue<string>() == "delivered")
            {
                break;
            }

            await Task.Delay(100);
        }

        TestContext.Progress.WriteLine($"Webhook durability: redelivered {restarted.Elapsed.TotalSeconds:F1} s after the restart began");
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "the same message, sent again");
            Assert.That(received.All(r => r.Verified), Is.True);
            Assert.That(delivery!["status"]!.GetValue<string>(), Is.EqualTo("delivered"), second.Output);
            Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(2), "the attempt cut short by the crash counts");
        });
    }
}
