using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Domain.Webhooks;
using PartnerAccounts.Infrastructure.Persistence;
using StandardWebhooks.Diagnostics;

namespace PartnerAccounts.Tests.Http.Webhooks;

public sealed class WebhookDeliveryTests : WebhookTest
{
    private static object SupportBody(string email) => new { email, phoneNumber = "+1 206 555 0100", website = "https://fabrikam.example/support" };

    [Test]
    public async Task Change_WhenSubscribed_ShouldDeliverASignedStandardWebhooksMessageThePackageVerifies()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, secret) = await SubscribeAsync(admin, accountId, "profile.updated");
        Assert.That(secret, Does.StartWith("whsec_"));

        using (var put = await admin.SendAsync(Json(HttpMethod.Put, $"/v1/accounts/{accountId}/profiles/support", SupportBody("help@fabrikam.example"), "*")))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }

        var delivery = (await Receiver.WaitForAsync(endpoint, 1))[0];
        var body = delivery.Json;
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Verified, Is.True, delivery.VerificationError);
            Assert.That(delivery.Signature, Does.Match("^v1,[A-Za-z0-9+/]{43}=$"), "one v1 signature");
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("profile.updated"));
            Assert.That(body["data"]!["profile"]!.GetValue<string>(), Is.EqualTo("support"));
            Assert.That(body["data"]!["accountId"]!.GetValue<Guid>(), Is.EqualTo(accountId));
            Assert.That(body["data"]!["after"]!["email"]!.GetValue<string>(), Is.EqualTo("help@fabrikam.example"));
            Assert.That(DateTime.Parse(body["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(),
                Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[] { "type", "timestamp", "data" }));
        });

        var deliveries = await DeliveriesAsync(admin, accountId, webhook["id"]!.GetValue<Guid>(), d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "delivered");
        Assert.Multiple(() =>
        {
            Assert.That(deliveries, Has.Count.EqualTo(1));
            Assert.That(deliveries[0]["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
            Assert.That(deliveries[0]["attempts"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(deliveries[0]["responseStatus"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(deliveries[0]["durationMs"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(0));
            Assert.That(deliveries[0]["nextAttemptAt"], Is.Null);
            Assert.That(deliveries[0]["eventId"]!.GetValue<string>(), Is.EqualTo(delivery.Id), "the log names the webhook-id");
        });
    }

    [Test]
    public async Task Changes_WhenTheAccountHasSeveralWebhooks_ShouldReachEachEnabledSubscriberOnce_AndNoLaterWebhook()
    {
        const int Locations = 6;
        var (admin, accountId) = await NewAccountAsync();
        var (_, everything, _) = await SubscribeAsync(admin, accountId, "*");
        var (_, locations, _) = await SubscribeAsync(admin, accountId, "location.created");
        var (_, profiles, _) = await SubscribeAsync(admin, accountId, "profile.updated");
        var disabled = Receiver.NewEndpoint();
        using (var create = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/webhooks", new { url = disabled.ToString(), events = new[] { "*" }, enabled = false }))
        {
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created), await create.Content.ReadAsStringAsync());
        }

        // Changes at once, so one round publishes several events, each to several webhooks.
        await Task.WhenAll(Enumerable.Range(0, Locations).Select(_ => AddLocationAsync(admin, accountId)));
        using (var put = await admin.SendAsync(Json(HttpMethod.Put, $"/v1/accounts/{accountId}/profiles/support", SupportBody("help@fabrikam.example"), "*")))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }

        var toEverything = await Receiver.WaitForAsync(everything, Locations + 1);
        var toLocations = await Receiver.WaitForAsync(locations, Locations);
        var toProfiles = await Receiver.WaitForAsync(profiles, 1);
        var (_, later, _) = await SubscribeAsync(admin, accountId, "*");
        await Task.Delay(TimeSpan.FromSeconds(1)); // anything sent twice, or to the later webhook, would arrive meanwhile
        // The feed also holds the account creation's user.roles.changed, from before the webhooks.
        var feed = (await EventsAfterAsync(admin, accountId, null, Locations + 2)).Where(e => e["type"]!.GetValue<string>() != "user.roles.changed").ToList();
        var bodies = Receiver.ReceivedAt(everything).ToDictionary(r => r.Id, r => r.Body);
        Assert.Multiple(() =>
        {
            Assert.That(Receiver.ReceivedAt(everything), Has.Count.EqualTo(Locations + 1), "the wildcard webhook gets every event once");
            Assert.That(Receiver.ReceivedAt(locations).Select(r => r.Type), Is.EqualTo(Enumerable.Repeat("location.created", Locations)));
            Assert.That(Receiver.ReceivedAt(profiles).Select(r => r.Type), Is.EqualTo(new[] { "profile.updated" }));
            Assert.That(Receiver.ReceivedAt(disabled), Is.Empty, "a disabled webhook gets nothing");
            Assert.That(Receiver.ReceivedAt(later), Is.Empty, "a webhook created after the changes gets none of them");
            Assert.That(toEverything.Concat(toLocations).Concat(toProfiles).All(r => r.Verified), Is.True);
            Assert.That(toLocations.Concat(toProfiles).Select(r => bodies.GetValueOrDefault(r.Id)), Is.EqualTo(toLocations.Concat(toProfiles).Select(r => r.Body)),
                "every webhook gets the same message (webhook-id and body) for one event");
            Assert.That(feed.Select(e => e["id"]!.GetValue<string>()), Is.EquivalentTo(bodies.Keys), "the feed holds the same events, each once");
            Assert.That(feed.Select(e => e["cursor"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(feed.Count), "each event has a position of its own");
        });
    }

    [Test]
    public async Task Verify_WhenTheSignatureBodyOrSecretIsWrong_ShouldBeDetectedByThePackage()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, secret) = await SubscribeAsync(admin, accountId);
        using (var ping = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhook["id"]}/pings", UriKind.Relative), null))
        {
            Assert.That(ping.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await ping.Content.ReadAsStringAsync());
        }

        var d = (await Receiver.WaitForAsync(endpoint, 1))[0];
        Assert.That(d.Verified, Is.True, d.VerificationError);
        var otherSecret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var forged = "v1," + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Multiple(() =>
        {
            Assert.That(() => WebhookReceiver.Verify(secret, d.Id, d.Timestamp, d.Signature, d.Body), Throws.Nothing);
            Assert.That(() => WebhookReceiver.Verify(otherSecret, d.Id, d.Timestamp, d.Signature, d.Body), Throws.TypeOf<WebhookVerificationException>(), "another secret");
            Assert.That(() => WebhookReceiver.Verify(secret, d.Id, d.Timestamp, forged, d.Body), Throws.TypeOf<WebhookVerificationException>(), "a forged signature");
            Assert.That(() => WebhookReceiver.Verify(secret, d.Id, d.Timestamp, d.Signature, d.Body.Replace("webhook.ping", "webhook.pong", StringComparison.Ordinal)),
                Throws.TypeOf<WebhookVerificationException>(), "a changed body");
            Assert.That(() => WebhookReceiver.Verify(secret, Guid.NewGuid().ToString(), d.Timestamp, d.Signature, d.Body), Throws.TypeOf<WebhookVerificationException>(), "another id");
            Assert.That(d.Type, Is.EqualTo("webhook.ping"));
        });
    }

    [Test]
    public async Task Delivery_WhenTheReceiverAnswers500Then200_ShouldBeRetriedAndMarkedDelivered()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        Receiver.Script(endpoint, 500);
        await AddLocationAsync(admin, accountId);

        var received = await Receiver.WaitForAsync(endpoint, 2);
        var deliveries = await DeliveriesAsync(admin, accountId, webhook["id"]!.GetValue<Guid>(), d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "delivered");
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "a retry carries the same webhook-id");
            Assert.That(received.All(r => r.Verified), Is.True, "each attempt is signed afresh");
            Assert.That(deliveries[0]["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
            Assert.That(deliveries[0]["attempts"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(deliveries[0]["responseStatus"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(deliveries[0]["error"], Is.Null);
        });
    }

    [Test]
    public async Task Delivery_WhenTheReceiverFailsForTheWholeRetryWindow_ShouldBeRetriedWithBackOffThenMarkedFailed()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        Receiver.Script(endpoint, [.. Enumerable.Repeat(503, 100)]);
        await AddLocationAsync(admin, accountId);

        var deliveries = await DeliveriesAsync(admin, accountId, webhook["id"]!.GetValue<Guid>(), d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "failed");
        var attempts = Receiver.ReceivedAt(endpoint).Count;
        Assert.Multiple(() =>
        {
            Assert.That(deliveries[0]["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(deliveries[0]["responseStatus"]!.GetValue<int>(), Is.EqualTo(503));
            Assert.That(deliveries[0]["error"]!.GetValue<string>(), Does.Contain("503"));
            Assert.That(deliveries[0]["nextAttemptAt"], Is.Null);
            // A 4 s window with a 0.2 s base doubling to at most 0.5 s: several attempts, far fewer than a tight loop would make.
            Assert.That(attempts, Is.InRange(4, 25));
            Assert.That(deliveries[0]["attempts"]!.GetValue<int>(), Is.EqualTo(attempts));
        });
    }

    [Test]
    public async Task Delivery_WhenTheReceiverNeverAnswers_ShouldNotHoldUpWrites_AndTimeOutIntoARetry()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        Receiver.Hang(endpoint);
        try
        {
            await AddLocationAsync(admin, accountId);
            await Receiver.WaitForAsync(endpoint, 1);

            // The receiver holds the attempt open: writes of the account still answer, each one queuing its own delivery.
            await AddLocationAsync(admin, accountId);
            await AddLocationAsync(admin, accountId);
            Assert.That(Receiver.ReceivedAt(endpoint), Is.Not.Empty);

            // The attempt ends at Webhooks:Timeout (2 s here) as a failure without a response, and is retried later.
            var deliveries = await DeliveriesAsync(admin, accountId, webhook["id"]!.GetValue<Guid>(),
                d => d.Count == 3 && d.Any(x => x["error"] is not null && x["error"]!.GetValue<string>().StartsWith("No answer", StringComparison.Ordinal)));
            var timedOut = deliveries.First(x => x["error"] is not null);
            Assert.Multiple(() =>
            {
                Assert.That(deliveries, Has.Count.EqualTo(3), "one delivery per change");
                Assert.That(timedOut["error"]!.GetValue<string>(), Is.EqualTo("No answer within 2 s."));
                Assert.That(timedOut["responseStatus"], Is.Null);
                Assert.That(timedOut["durationMs"]!.GetValue<int>(), Is.InRange(1900, 10_000), "bounded by the time-out");
                Assert.That(timedOut["status"]!.GetValue<string>(), Is.AnyOf("pending", "failed"));
            });
        }
        finally
        {
            Receiver.Hang(endpoint, false);
        }
    }

    [Test]
    public async Task Ping_And_Redelivery_ShouldSendTheSameMessageIdAgainAsANewDelivery()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId);
        var webhookId = webhook["id"]!.GetValue<Guid>();
        JsonObject ping;
        using (var response = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/pings", UriKind.Relative), null))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            ping = (await ReadJsonAsync(response)).AsObject();
        }

        Assert.That(ping["eventType"]!.GetValue<string>(), Is.EqualTo("webhook.ping"));
        await Receiver.WaitForAsync(endpoint, 1);
        using (var again = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries/{ping["id"]}/redeliveries", UriKind.Relative), null))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await again.Content.ReadAsStringAsync());
        }

        var received = await Receiver.WaitForAsync(endpoint, 2);
        var log = await DeliveriesAsync(admin, accountId, webhookId, d => d.Count == 2 && d.All(x => x["status"]!.GetValue<string>() == "delivered"));
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Id).Distinct(), Is.EqualTo(new[] { ping["eventId"]!.GetValue<string>() }));
            Assert.That(log.Select(d => d["id"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(2), "the redelivery is a delivery of its own");
            Assert.That(log.All(d => d["status"]!.GetValue<string>() == "delivered"), Is.True);
        });

        using var unknown = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/redeliveries", UriKind.Relative), null);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "delivery_not_found");
    }

    [Test]
    public async Task Redelivery_OfAnEvent_ShouldSendTheSameBodyAgain_ComposedFromTheEvent_WithNoCopyInTheDeliveryRows()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        var webhookId = webhook["id"]!.GetValue<Guid>();
        await AddLocationAsync(admin, accountId);
        var first = (await Receiver.WaitForAsync(endpoint, 1))[0];
        var delivered = await DeliveriesAsync(admin, accountId, webhookId, d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "delivered");
        using (var again = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/deliveries/{delivered[0]["id"]}/redeliveries", UriKind.Relative), null))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await again.Content.ReadAsStringAsync());
        }

        var second = (await Receiver.WaitForAsync(endpoint, 2))[1];
        await DeliveriesAsync(admin, accountId, webhookId, d => d.Count == 2 && d.All(x => x["status"]!.GetValue<string>() == "delivered"));
        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var copies = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhookId).Select(d => d.Payload).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(second.Body, Is.EqualTo(first.Body), "the redelivery sends the event's body, byte for byte");
            Assert.That(second.Id, Is.EqualTo(first.Id), "with the same webhook-id");
            Assert.That(first.Verified && second.Verified, Is.True, first.VerificationError ?? second.VerificationError);
            Assert.That(copies, Has.Count.EqualTo(2).And.All.Null, "neither delivery row keeps a copy of the body");
        });
    }

    [Test]
    public async Task Delivery_WhenItsEventIsNoLongerRetained_ShouldFailForGood_WithTheReason()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        var webhookId = webhook["id"]!.GetValue<Guid>();
        Receiver.Script(endpoint, [.. Enumerable.Repeat(500, 100)]);
        await AddLocationAsync(admin, accountId);
        var eventId = Guid.Parse((await Receiver.WaitForAsync(endpoint, 1))[0].Id);
        using (var scope = Host.Services.CreateScope())
        {
            // What the retention purge does to an event (a redelivery can outlive its event the same way).
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.That(await db.Events.Where(e => e.Id == eventId).ExecuteDeleteAsync(), Is.EqualTo(1));
        }

        var deliveries = await DeliveriesAsync(admin, accountId, webhookId, d => d.Count == 1 && d[0]["status"]!.GetValue<string>() == "failed");
        var attempts = Receiver.ReceivedAt(endpoint).Count;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(deliveries[0]["error"]!.GetValue<string>(), Is.EqualTo("The event is no longer retained."));
            Assert.That(deliveries[0]["nextAttemptAt"], Is.Null);
            Assert.That(Receiver.ReceivedAt(endpoint), Has.Count.EqualTo(attempts), "nothing is sent once the event is gone");
        });
    }

    [Test]
    public async Task SecretRotation_ShouldSignWithTheNewAndThePreviousSecretFor24Hours()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, oldSecret) = await SubscribeAsync(admin, accountId);
        var webhookId = webhook["id"]!.GetValue<Guid>();
        JsonObject rotated;
        using (var response = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/secret-rotations", UriKind.Relative), null))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            rotated = (await ReadJsonAsync(response)).AsObject();
        }

        // The receiver still trusts only the old secret: during the overlap it keeps verifying.
        var newSecret = rotated["secret"]!.GetValue<string>();
        var beforeSwitch = await PingAndReceiveAsync(admin, accountId, webhookId, endpoint, 1);
        Receiver.Trust(endpoint, newSecret);
        var afterSwitch = await PingAndReceiveAsync(admin, accountId, webhookId, endpoint, 2);
        var signatures = afterSwitch.Signature.Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(newSecret, Does.StartWith("whsec_").And.Not.EqualTo(oldSecret));
            Assert.That(rotated["previousSecretExpiresAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow.AddHours(24)).Within(TimeSpan.FromMinutes(1)));
            Assert.That(signatures, Has.Length.EqualTo(2), "one signature per active secret");
            Assert.That(beforeSwitch.Verified, Is.True, "a receiver still on the previous secret verifies during the overlap: " + beforeSwitch.VerificationError);
            Assert.That(afterSwitch.Verified, Is.True, "a receiver that switched to the new secret verifies: " + afterSwitch.VerificationError);
            Assert.That(() => WebhookReceiver.Verify(newSecret, afterSwitch.Id, afterSwitch.Timestamp, signatures[0], afterSwitch.Body), Throws.Nothing, "the new secret signs first");
            Assert.That(() => WebhookReceiver.Verify(oldSecret, afterSwitch.Id, afterSwitch.Timestamp, signatures[1], afterSwitch.Body), Throws.Nothing, "the previous secret still signs");
            Assert.That(() => WebhookReceiver.Verify(WebhookSecret.Generate(), afterSwitch.Id, afterSwitch.Timestamp, afterSwitch.Signature, afterSwitch.Body),
                Throws.TypeOf<WebhookVerificationException>(), "neither signature verifies with a third secret");
        });

        using var read = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}", UriKind.Relative));
        var text = await read.Content.ReadAsStringAsync();
        Assert.That(text, Does.Not.Contain(newSecret[6..]).And.Not.Contain(oldSecret[6..]).And.Not.Contain("secret\""), "reads never show a secret");
    }

    private async Task<ReceivedDelivery> PingAndReceiveAsync(HttpClient admin, Guid accountId, Guid webhookId, Uri endpoint, int nth)
    {
        using (var ping = await admin.PostAsync(new Uri($"/v1/accounts/{accountId}/webhooks/{webhookId}/pings", UriKind.Relative), null))
        {
            Assert.That(ping.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await ping.Content.ReadAsStringAsync());
        }

        return (await Receiver.WaitForAsync(endpoint, nth))[nth - 1];
    }
}
