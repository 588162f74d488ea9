using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http.Webhooks;

/// <summary>
/// Base of the webhook tests: a host of their own on the run's database with the delivery worker on (the shared host runs
/// without it), receivers on loopback allowed, and back-off, lease and retry window shortened so retries happen in a test's time.
/// A receiver on 127.0.0.1 takes the deliveries.
/// </summary>
public abstract class WebhookTest : ApiTest
{
    protected static readonly Dictionary<string, string> FastDelivery = new()
    {
        ["Webhooks:WorkerEnabled"] = "true",
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.200",
        ["Webhooks:RetryMaxDelay"] = "00:00:00.500",
        ["Webhooks:RetryWindow"] = "00:00:04",
        ["Webhooks:Timeout"] = "00:00:02",
        ["Webhooks:Lease"] = "00:00:03",
    };

    protected WebApplicationFactory<Program> Host { get; private set; } = null!;

    protected WebhookReceiver Receiver { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartHostAndReceiverAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (name, value) in FastDelivery)
            {
                builder.UseSetting(name, value);
            }
        });
        using var warmUp = Host.CreateClient();
        await warmUp.GetAsync(new Uri("/v1/roles", UriKind.Relative));
    }

    [OneTimeTearDown]
    public async Task StopHostAndReceiverAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected HttpClient On(string email, bool isOperator = false) => VictimAccount.ClientFor(Host, email, isOperator);

    /// <summary>A new admin with a new account on the webhook host.</summary>
    protected async Task<(HttpClient Admin, Guid AccountId)> NewAccountAsync()
    {
        var admin = On(NewEmail("hooks-admin"));
        var account = await CreateAccountAsync(admin);
        return (admin, account["id"]!.GetValue<Guid>());
    }

    /// <summary>Subscribes a fresh receiver endpoint to <paramref name="events"/>; returns the webhook, its URL and its secret (trusted by the receiver).</summary>
    protected async Task<(JsonObject Webhook, Uri Endpoint, string Secret)> SubscribeAsync(HttpClient admin, Guid accountId, params string[] events)
    {
        var endpoint = Receiver.NewEndpoint();
        using var response = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/webhooks", new { url = endpoint.ToString(), events = events.Length == 0 ? ["*"] : events, enabled = true });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var webhook = (await ReadJsonAsync(response)).AsObject();
        var secret = webhook["secret"]!.GetValue<string>();
        Receiver.Trust(endpoint, secret);
        return (webhook, endpoint, secret);
    }

    /// <summary>Polls the events feed after <paramref name="cursor"/> until at least <paramref name="atLeast"/> events are there.</summary>
    protected static async Task<List<JsonObject>> EventsAfterAsync(HttpClient admin, Guid accountId, string? cursor, int atLeast, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var uri = $"/v1/accounts/{accountId}/events?limit=200" + (cursor is null ? string.Empty : "&after=" + Uri.EscapeDataString(cursor));
            using var response = await admin.GetAsync(new Uri(uri, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var items = (await ReadJsonAsync(response))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            if (items.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The webhook's delivery log, waiting until <paramref name="until"/> holds for it (or the time-out).</summary>
    protected static async Task<List<JsonObject>> DeliveriesAsync(HttpClient admin, Guid accountId, Guid webhookId, Func<List<JsonObject>, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            using var response = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var items = (await ReadJsonAsync(response))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            if (until(items) || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Adds a location: a change that emits <c>location.created</c>.</summary>
    protected static async Task AddLocationAsync(HttpClient admin, Guid accountId)
    {
        using var response = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/locations", new
        {
            name = "Branch " + Guid.NewGuid().ToString("N")[..6],
            address = new { addressLine1 = "2 Main St", city = "Portland", state = "OR", postalCode = "97201", country = "US" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
