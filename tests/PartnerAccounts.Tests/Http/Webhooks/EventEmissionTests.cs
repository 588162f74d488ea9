using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Tests.Http.Webhooks;

/// <summary>Every event type is emitted by the change that causes it, and by nothing else; the feed and the webhook get the same events.</summary>
public sealed class EventEmissionTests : WebhookTest
{
    private HttpClient _admin = null!;
    private Guid _accountId;
    private string? _cursor;
    private string _a = string.Empty;

    [Test]
    public async Task EveryChange_ShouldEmitExactlyItsEventTypes_InTheFeedAndToAWildcardWebhook()
    {
        (_admin, _accountId) = await NewAccountAsync();
        _a = $"/v1/accounts/{_accountId}";
        var (_, endpoint, _) = await SubscribeAsync(_admin, _accountId, "*");
        // Creating the account emitted its creator's user.roles.changed: wait until it is published, so it precedes the cursor.
        _cursor = (await EventsAfterAsync(_admin, _accountId, null, 1)).LastOrDefault()?["cursor"]!.GetValue<string>();
        var seen = new List<string>();
        using var op = On(NewEmail("hooks-operator"), isOperator: true);

        seen.AddRange(await ExpectAsync(["profile.updated"], () => Send(HttpMethod.Put, $"{_a}/profiles/support",
            new { email = "help@fabrikam.example", phoneNumber = "+1 206 555 0100", website = "https://fabrikam.example/support" }, "*")));
        var newName = "Renamed " + Guid.NewGuid().ToString("N")[..6];
        seen.AddRange(await ExpectAsync(["profile.updated", "mpn.partner_name.changed"], () => Send(HttpMethod.Put, $"{_a}/profiles/legalbusiness", Legal(newName, "pat@fabrikam.example"), "*")));
        seen.AddRange(await ExpectAsync(["profile.updated"], () => Send(HttpMethod.Put, $"{_a}/profiles/legalbusiness", Legal(newName, "sam@fabrikam.example"), "*")));
        seen.AddRange(await ExpectAsync(["account.verification.changed"], () => Send(op, HttpMethod.Post, $"{_a}/verification/decisions", new { status = "inReview" }, null)));

        var location = await SendForJsonAsync(HttpMethod.Post, $"{_a}/locations", new
        {
            name = "Branch",
            address = new { addressLine1 = "2 Main St", city = "Portland", state = "OR", postalCode = "97201", country = "US" },
        });
        seen.AddRange(await ExpectAsync(["location.created"], null));
        seen.AddRange(await ExpectAsync([], () => Send(HttpMethod.Put, $"{_a}/locations/{location["id"]}", new
        {
            name = "Branch renamed",
            address = new { addressLine1 = "3 Main St", city = "Portland", state = "OR", postalCode = "97201", country = "US" },
        }, "*")));
        seen.AddRange(await ExpectAsync(["location.deleted"], () => Send(HttpMethod.Delete, $"{_a}/locations/{location["id"]}", null, "*")));

        var invited = await SendForJsonAsync(HttpMethod.Post, $"{_a}/users", new { email = NewEmail("hooks-member"), roles = new[] { "sales-agent" } });
        var userId = invited["user"]!["id"]!.GetValue<Guid>();
        seen.AddRange(await ExpectAsync(["user.invited"], null));
        seen.AddRange(await ExpectAsync(["user.roles.changed"], () => Send(HttpMethod.Put, $"{_a}/users/{userId}/roles/billing-admin", null, null)));
        seen.AddRange(await ExpectAsync(["user.roles.changed"], () => Send(HttpMethod.Delete, $"{_a}/users/{userId}/roles/billing-admin", null, null)));
        seen.AddRange(await ExpectAsync([], () => Send(HttpMethod.Post, $"{_a}/users/{userId}/password-resets", null, null)));
        seen.AddRange(await ExpectAsync(["user.removed"], () => Send(HttpMethod.Delete, $"{_a}/users/{userId}", null, "*")));

        seen.AddRange(await ExpectAsync(["enrollment.status.changed"], () => Send(HttpMethod.Post, $"{_a}/enrollments", new { programId = "office-store" }, null)));
        seen.AddRange(await ExpectAsync(["enrollment.status.changed"], () => Send(HttpMethod.Delete, $"{_a}/enrollments/office-store", null, "*")));

        var key = await SendForJsonAsync(HttpMethod.Post, $"{_a}/api-keys", new { name = "events" });
        var apiKeyEvents = await ExpectAsync(["apikey.created"], null);
        seen.AddRange(apiKeyEvents);
        seen.AddRange(await ExpectAsync(["apikey.revoked"], () => Send(HttpMethod.Delete, $"{_a}/api-keys/{key["id"]}", null, null)));

        seen.AddRange(await ExpectAsync([], () => Send(HttpMethod.Post, $"{_a}/tax-exemptions",
            new { country = "US", certificateId = "CERT-" + Guid.NewGuid().ToString("N")[..6], expiresOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, null)));
        seen.AddRange(await ExpectAsync([], () => Send(HttpMethod.Post, $"{_a}/webhooks", new { url = Receiver.NewEndpoint().ToString(), events = new[] { "*" }, enabled = false }, null)));

        // An operator suspends the account and reactivates it: one status change event each.
        seen.AddRange(await ExpectAsync(["account.status.changed"], () => Send(op, HttpMethod.Post, $"{_a}/status-changes", new { status = "suspended", reason = "events test" }, null)));
        seen.AddRange(await ExpectAsync(["account.status.changed"], () => Send(op, HttpMethod.Post, $"{_a}/status-changes", new { status = "active", reason = "events test" }, null)));

        Assert.That(seen.Distinct(), Is.EquivalentTo(EventTypes.Catalogue), "every event type was seen");
        var received = await Receiver.WaitForAsync(endpoint, seen.Count);
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Type), Is.EquivalentTo(seen), "the wildcard webhook got the same events (delivery order is not promised)");
            Assert.That(received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(seen.Count), "each once");
            Assert.That(received.All(r => r.Verified), Is.True);
            Assert.That(received.Select(r => r.Json["data"]!["accountId"]!.GetValue<Guid>()).Distinct(), Is.EqualTo(new[] { _accountId }));
            Assert.That(received.Single(r => r.Type == "apikey.created").Body, Does.Not.Contain(key["secret"]!.GetValue<string>()), "no secret in data");
            Assert.That(received.Single(r => r.Type == "mpn.partner_name.changed").Json["data"]!["after"]!["partnerName"]!.GetValue<string>(), Does.StartWith("Renamed "));
        });
    }

    [Test]
    public async Task Feed_WithAForeignOrForgedCursor_ShouldBe400()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (other, otherId) = await NewAccountAsync();
        using (var put = await other.SendAsync(Json(HttpMethod.Put, $"/v1/accounts/{otherId}/profiles/support", new { email = "a@b.example" }, "*")))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var foreign = (await EventsAfterAsync(other, otherId, null, 1))[^1]["cursor"]!.GetValue<string>();
        using var withForeign = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/events?after={Uri.EscapeDataString(foreign)}", UriKind.Relative));
        await AssertProblemAsync(withForeign, HttpStatusCode.BadRequest, "invalid_cursor");
        using var forged = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/events?after=forged", UriKind.Relative));
        await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "invalid_cursor");
    }

    /// <summary>Does the change and returns the types of the events it caused, asserting they are exactly <paramref name="expected"/>.</summary>
    private async Task<List<string>> ExpectAsync(string[] expected, Func<Task>? change)
    {
        if (change is not null)
        {
            await change();
        }

        // A change that should emit nothing is followed by one that emits a known event: anything else in between is a stray.
        var marker = expected.Length == 0;
        if (marker)
        {
            await Send(HttpMethod.Put, $"{_a}/profiles/support", new { email = $"marker-{Guid.NewGuid():N}@fabrikam.example" }, "*");
        }

        var events = await EventsAfterAsync(_admin, _accountId, _cursor, marker ? 1 : expected.Length);
        await Task.Delay(200);
        events = await EventsAfterAsync(_admin, _accountId, _cursor, 0);
        _cursor = events.Count > 0 ? events[^1]["cursor"]!.GetValue<string>() : _cursor;
        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.That(types, Is.EquivalentTo(marker ? ["profile.updated"] : expected), $"after the change expected to emit [{string.Join(", ", expected)}]");
        return marker ? [.. types] : types;
    }

    private Task Send(HttpMethod method, string uri, object? body, string? ifMatch) => Send(_admin, method, uri, body, ifMatch);

    private static async Task Send(HttpClient client, HttpMethod method, string uri, object? body, string? ifMatch)
    {
        using var response = await client.SendAsync(Json(method, uri, body, ifMatch));
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"{method} {uri}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonObject> SendForJsonAsync(HttpMethod method, string uri, object body)
    {
        using var response = await _admin.SendAsync(Json(method, uri, body));
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"{method} {uri}: {await response.Content.ReadAsStringAsync()}");
        return (await ReadJsonAsync(response)).AsObject();
    }

    private static object Legal(string companyName, string contactEmail) => new
    {
        companyName,
        address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
        primaryContact = new { firstName = "Pat", lastName = "Lee", email = contactEmail, phoneNumber = "+1 206 555 0100" },
        companyApprover = new { firstName = "Jo", lastName = "Lee", email = "jo@fabrikam.example" },
    };
}
