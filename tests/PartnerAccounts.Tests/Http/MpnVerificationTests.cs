using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Infrastructure.MpnVerification;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// GET /v1/profiles/mpn: Partner Center's "verify a partner MPN ID", with an API key or a bearer token (budgets: MpnVerificationBudgetsTests),
/// answered from caches that every change to what it answers invalidates at once (on this node) or within a second (on others).
/// </summary>
public sealed class MpnVerificationTests : ApiTest
{
    private static readonly TimeSpan OtherNodeDeadline = TimeSpan.FromSeconds(3);

    private WebApplicationFactory<Program> _secondNode = null!;

    [OneTimeSetUp]
    public void StartOtherNodes()
    {
        // The same database, another process's worth of caches: a second API node.
        _secondNode = Factory.WithWebHostBuilder(b => b.UseSetting("ApiKeys:UsageFlushSeconds", "1"));
    }

    [OneTimeTearDown]
    public async Task StopOtherNodesAsync()
    {
        await _secondNode.DisposeAsync();
    }

    private static string VerifyUri(string mpnId) => $"/v1/profiles/mpn?mpnId={Uri.EscapeDataString(mpnId)}";

    /// <summary>A new account with an API key: its admin, id, global MPN ID and an integration client sending the key.</summary>
    private static async Task<(HttpClient Admin, Guid AccountId, string MpnId, ApiKeyRequests.CreatedKey Key, HttpClient Integration)> NewPartnerWithKeyAsync(
        string? legalName = null, WebApplicationFactory<Program>? node = null)
    {
        var admin = As(NewEmail("admin"));
        var account = await CreateAccountAsync(admin, legalName);
        var accountId = account["id"]!.GetValue<Guid>();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        return (admin, accountId, account["mpnId"]!.GetValue<string>(), key, ApiKeyRequests.WithKey((node ?? Factory).CreateClient(), key.Secret));
    }

    private static async Task<string> PartnerNameOfAsync(HttpClient client, string mpnId)
    {
        using var response = await client.GetAsync(VerifyUri(mpnId));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!["partnerName"]!.GetValue<string>();
    }

    private static async Task<JsonObject> CreateLocationAsync(HttpClient admin, Guid accountId)
    {
        using var response = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/locations", new
        {
            name = "Berlin office",
            address = new { addressLine1 = "Unter den Linden 1", city = "Berlin", postalCode = "10117", country = "DE" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var location = (await ReadJsonAsync(response)).AsObject();
        location["etag"] = response.Headers.ETag!.Tag;
        return location;
    }

    private static async Task ReplaceLegalNameAsync(HttpClient admin, Guid accountId, string companyName)
    {
        var uri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (profile, etag) = await GetWithETagAsync(admin, uri);
        profile["companyName"] = companyName;
        using var put = await admin.SendAsync(Json(HttpMethod.Put, uri, profile.ToJsonString(), etag));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="client"/> until <paramref name="done"/> holds for the answer, or the deadline passes; returns whether it did.</summary>
    private static async Task<bool> EventuallyAsync(HttpClient client, string mpnId, Func<HttpResponseMessage, string, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(VerifyUri(mpnId));
            if (done(response, await response.Content.ReadAsStringAsync()))
            {
                return true;
            }

            if (clock.Elapsed > OtherNodeDeadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    [Test]
    public async Task VerifyMpnId_ForAGlobalIdWithAnApiKey_ShouldAnswerExactlyThePartnerCenterShape()
    {
        var legalName = "Contoso Verify " + Guid.NewGuid().ToString("N")[..8];
        var (_, _, mpnId, _, integration) = await NewPartnerWithKeyAsync(legalName);

        using var response = await integration.GetAsync(VerifyUri(mpnId));

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var expected = JsonNode.Parse($$"""
            {
              "partnerName": "{{legalName}}",
              "mpnId": "{{mpnId}}",
              "profileType": "MpnProfile",
              "links": { "self": { "uri": "/v1/profiles/mpn?mpnId={{mpnId}}", "method": "GET", "headers": [] } },
              "attributes": { "objectType": "MpnProfile" }
            }
            """);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(text), expected), Is.True, $"got {text}");
    }

    [Test]
    public async Task VerifyMpnId_ForALocationId_ShouldAnswerThePartnerName()
    {
        var legalName = "Fabrikam Locations " + Guid.NewGuid().ToString("N")[..8];
        var (admin, accountId, _, _, integration) = await NewPartnerWithKeyAsync(legalName);
        var headquarters = (await admin.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/locations"))!["items"]![0]!;

        var partnerName = await PartnerNameOfAsync(integration, headquarters["mpnId"]!.GetValue<string>());

        Assert.That(partnerName, Is.EqualTo(legalName));
    }

    [Test]
    public async Task VerifyMpnId_WithABearerToken_ShouldAnswerAnyAuthenticatedCaller()
    {
        var legalName = "Bearer Verified " + Guid.NewGuid().ToString("N")[..8];
        var (_, _, mpnId, _, _) = await NewPartnerWithKeyAsync(legalName);
        using var stranger = As(NewEmail("someone"));

        Assert.That(await PartnerNameOfAsync(stranger, mpnId), Is.EqualTo(legalName));
    }

    [TestCase("abc")]
    [TestCase("12345678901")]
    [TestCase("")]
    [TestCase("12 34")]
    [TestCase("-1234567")]
    [TestCase("１２３")]
    public async Task VerifyMpnId_WithAMalformedId_ShouldBe400InvalidMpnId(string mpnId)
    {
        var (_, _, _, _, integration) = await NewPartnerWithKeyAsync();

        using var response = await integration.GetAsync(VerifyUri(mpnId));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_mpn_id");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "mpnId" }));
    }

    [Test]
    public async Task VerifyMpnId_WithAnEmptyMpnId_ShouldBe400InvalidMpnId()
    {
        var (_, _, _, _, integration) = await NewPartnerWithKeyAsync();

        // Without mpnId at all the route answers the caller's own MPN profile (Partner Center's MpnProfile.Get()).
        using var response = await integration.GetAsync("/v1/profiles/mpn?mpnId=");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_mpn_id");
    }

    [TestCase("42")]
    [TestCase("0000001")]
    [TestCase("9999999999")]
    public async Task VerifyMpnId_ForAnUnknownId_ShouldBe404MpnIdNotFound(string mpnId)
    {
        var (_, _, _, _, integration) = await NewPartnerWithKeyAsync();

        using var first = await integration.GetAsync(VerifyUri(mpnId));
        using var cached = await integration.GetAsync(VerifyUri(mpnId));

        await AssertProblemAsync(first, HttpStatusCode.NotFound, "mpn_id_not_found");
        await AssertProblemAsync(cached, HttpStatusCode.NotFound, "mpn_id_not_found");
    }

    [Test]
    public async Task VerifyMpnId_WithoutCredentials_ShouldBe401Unauthenticated()
    {
        var (_, _, mpnId, _, _) = await NewPartnerWithKeyAsync();
        using var anonymous = Anonymous();

        using var response = await anonymous.GetAsync(VerifyUri(mpnId));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("X-Api-Key"));
    }

    [TestCase("not-a-key")]
    [TestCase("pak_aaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task VerifyMpnId_WithAWrongKey_ShouldBe401InvalidApiKey(string secret)
    {
        var (_, _, mpnId, _, _) = await NewPartnerWithKeyAsync();
        using var client = ApiKeyRequests.WithKey(Factory.CreateClient(), secret);

        using var response = await client.GetAsync(VerifyUri(mpnId));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Test]
    public async Task VerifyMpnId_WithAKeyWhosePrefixExistsButSecretDiffers_ShouldBe401InvalidApiKey()
    {
        var (_, _, mpnId, key, _) = await NewPartnerWithKeyAsync();
        var forged = key.Secret[..^4] + (key.Secret.EndsWith("aaaa", StringComparison.Ordinal) ? "bbbb" : "aaaa");
        using var genuine = ApiKeyRequests.WithKey(Factory.CreateClient(), key.Secret);
        using var client = ApiKeyRequests.WithKey(Factory.CreateClient(), forged);

        // The genuine key verifies first, so the forged one is checked after the node has seen the real secret.
        using var before = await genuine.GetAsync(VerifyUri(mpnId));
        using var response = await client.GetAsync(VerifyUri(mpnId));
        using var after = await genuine.GetAsync(VerifyUri(mpnId));

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ApiKey_OnOtherEndpoints_ShouldNotAuthenticate()
    {
        var (_, accountId, _, _, integration) = await NewPartnerWithKeyAsync();

        using var response = await integration.GetAsync($"/v1/accounts/{accountId}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task VerifyMpnId_AfterALegalNameChange_ShouldAnswerTheNewNameAtOnce()
    {
        var (admin, accountId, mpnId, _, integration) = await NewPartnerWithKeyAsync("Old Name Ltd");
        var headquartersId = (await admin.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/locations"))!["items"]![0]!["mpnId"]!.GetValue<string>();
        Assert.That(await PartnerNameOfAsync(integration, mpnId), Is.EqualTo("Old Name Ltd"), "now cached");
        Assert.That(await PartnerNameOfAsync(integration, headquartersId), Is.EqualTo("Old Name Ltd"), "now cached");

        await ReplaceLegalNameAsync(admin, accountId, "New Name Ltd");

        Assert.That(await PartnerNameOfAsync(integration, mpnId), Is.EqualTo("New Name Ltd"));
        Assert.That(await PartnerNameOfAsync(integration, headquartersId), Is.EqualTo("New Name Ltd"));
    }

    [Test]
    public async Task VerifyMpnId_ForANewLocationsId_ShouldVerifyAtOnce()
    {
        var legalName = "New Location " + Guid.NewGuid().ToString("N")[..8];
        var (admin, accountId, _, _, integration) = await NewPartnerWithKeyAsync(legalName);

        var location = await CreateLocationAsync(admin, accountId);

        Assert.That(await PartnerNameOfAsync(integration, location["mpnId"]!.GetValue<string>()), Is.EqualTo(legalName));
    }

    [Test]
    public async Task VerifyMpnId_ForADeletedLocationsId_ShouldBe404AtOnce()
    {
        var (admin, accountId, mpnId, _, integration) = await NewPartnerWithKeyAsync();
        var location = await CreateLocationAsync(admin, accountId);
        var locationMpnId = location["mpnId"]!.GetValue<string>();
        await PartnerNameOfAsync(integration, locationMpnId);

        using var delete = await admin.SendAsync(Json(HttpMethod.Delete, $"/v1/accounts/{accountId}/locations/{location["id"]!.GetValue<Guid>()}", null, location["etag"]!.GetValue<string>()));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());

        using var response = await integration.GetAsync(VerifyUri(locationMpnId));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "mpn_id_not_found");
        Assert.That(await PartnerNameOfAsync(integration, mpnId), Is.Not.Empty, "the account's other IDs still verify");
    }

    [Test]
    public async Task VerifyMpnId_ForAClosedAccount_ShouldBe404AtOnce()
    {
        var (_, accountId, mpnId, _, _) = await NewPartnerWithKeyAsync();
        using var verifier = As(NewEmail("verifier"));
        await PartnerNameOfAsync(verifier, mpnId);

        // No endpoint closes accounts yet: close it the way a use case would, through the unit of work.
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var account = await db.Accounts.SingleAsync(a => a.Id == accountId);
            db.Entry(account).Property(a => a.Status).CurrentValue = AccountStatus.Closed;
            await db.SaveChangesAsync();
        }

        using var response = await verifier.GetAsync(VerifyUri(mpnId));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "mpn_id_not_found");
    }

    [Test]
    public async Task VerifyMpnId_WhileTheDirectoryCopyIsInUse_ShouldSeeEveryChangeAtOnceOnBothNodes()
    {
        var (admin, accountId, mpnId, key, integration) = await NewPartnerWithKeyAsync("Copied Ltd");
        var location = await CreateLocationAsync(admin, accountId);
        var locationMpnId = location["mpnId"]!.GetValue<string>();
        var (_, closingId, closingMpnId, _, _) = await NewPartnerWithKeyAsync("Closing Ltd");
        using var onSecondNode = ApiKeyRequests.WithKey(_secondNode.CreateClient(), key.Secret);

        // Both nodes read their copy of the whole directory (as they do by themselves once verifications are in demand).
        var directory = Factory.Services.GetRequiredService<MpnDirectory>();
        var secondDirectory = _secondNode.Services.GetRequiredService<MpnDirectory>();
        await directory.RefreshSnapshotAsync(default);
        await secondDirectory.RefreshSnapshotAsync(default);
        var copy = directory.Snapshot!;
        Assert.That(copy.TryFind(MpnDirectory.KeyOf(mpnId)!.Value, out var copiedAccount, out var copiedName), Is.True);
        Assert.That((copiedAccount, copiedName), Is.EqualTo((accountId, "Copied Ltd")));
        Assert.That(copy.TryFind(MpnDirectory.KeyOf(locationMpnId)!.Value, out _, out copiedName) && copiedName == "Copied Ltd", Is.True);
        // The key was created through the first node: the second one accepts it once its feed has brought it.
        Assert.That(await EventuallyAsync(onSecondNode, mpnId, (r, body) => r.IsSuccessStatusCode && body.Contains("Copied Ltd", StringComparison.Ordinal)), Is.True,
            $"the second node did not verify with the new key within {OtherNodeDeadline}");

        await ReplaceLegalNameAsync(admin, accountId, "Copied Renamed Ltd");
        var added = (await CreateLocationAsync(admin, accountId))["mpnId"]!.GetValue<string>();
        using (var delete = await admin.SendAsync(Json(HttpMethod.Delete, $"/v1/accounts/{accountId}/locations/{location["id"]!.GetValue<Guid>()}", null, location["etag"]!.GetValue<string>())))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var closing = await db.Accounts.SingleAsync(a => a.Id == closingId);
            db.Entry(closing).Property(a => a.Status).CurrentValue = AccountStatus.Closed;
            await db.SaveChangesAsync();
        }

        Assert.That(await PartnerNameOfAsync(integration, mpnId), Is.EqualTo("Copied Renamed Ltd"));
        Assert.That(await PartnerNameOfAsync(integration, added), Is.EqualTo("Copied Renamed Ltd"));
        using (var deleted = await integration.GetAsync(VerifyUri(locationMpnId)))
        {
            await AssertProblemAsync(deleted, HttpStatusCode.NotFound, "mpn_id_not_found");
        }

        using (var closed = await integration.GetAsync(VerifyUri(closingMpnId)))
        {
            await AssertProblemAsync(closed, HttpStatusCode.NotFound, "mpn_id_not_found");
        }

        Assert.That(await EventuallyAsync(onSecondNode, mpnId, (r, body) => r.IsSuccessStatusCode && body.Contains("Copied Renamed Ltd", StringComparison.Ordinal)), Is.True,
            $"the second node still answered the old name after {OtherNodeDeadline}");
        Assert.That(await EventuallyAsync(onSecondNode, added, (r, _) => r.IsSuccessStatusCode), Is.True, "the new location on the second node");
        Assert.That(await EventuallyAsync(onSecondNode, locationMpnId, (r, _) => r.StatusCode == HttpStatusCode.NotFound), Is.True, "the deleted location on the second node");

        // A pass that began after the changes has them all.
        await directory.RefreshSnapshotAsync(default);
        var fresh = directory.Snapshot!;
        Assert.That(fresh.TryFind(MpnDirectory.KeyOf(mpnId)!.Value, out _, out var name) ? name : "(none)", Is.EqualTo("Copied Renamed Ltd"));
        Assert.That(fresh.TryFind(MpnDirectory.KeyOf(added)!.Value, out _, out name) ? name : "(none)", Is.EqualTo("Copied Renamed Ltd"));
        Assert.That(fresh.TryFind(MpnDirectory.KeyOf(locationMpnId)!.Value, out _, out name), Is.True, "a retired ID stays registered");
        Assert.That(name, Is.Null, "but no longer verifies");
        Assert.That(fresh.TryFind(MpnDirectory.KeyOf(closingMpnId)!.Value, out _, out name) && name is null, Is.True, "a closed account's ID does not verify");

        // Later passes fill the arrays of the copy two passes old again; a replaced copy is never read again.
        await ReplaceLegalNameAsync(admin, accountId, "Copied Thrice Ltd");
        await directory.RefreshSnapshotAsync(default);
        await directory.RefreshSnapshotAsync(default);
        var latest = directory.Snapshot!;
        Assert.That(copy.TryEnter() || fresh.TryEnter(), Is.False, "a replaced copy refuses new reads");
        Assert.That(latest.TryFind(MpnDirectory.KeyOf(mpnId)!.Value, out _, out name) ? name : "(none)", Is.EqualTo("Copied Thrice Ltd"));
        Assert.That(latest.TryFind(MpnDirectory.KeyOf(added)!.Value, out _, out name) ? name : "(none)", Is.EqualTo("Copied Thrice Ltd"));
        Assert.That(latest.TryFind(MpnDirectory.KeyOf(locationMpnId)!.Value, out _, out name) && name is null, Is.True, "the retired ID, after recycling");
        Assert.That(await PartnerNameOfAsync(integration, mpnId), Is.EqualTo("Copied Thrice Ltd"));
    }

    [Test]
    public async Task VerifyMpnId_OnAnotherNode_ShouldSeeANameChangeAndARevocationWithinSeconds()
    {
        var (admin, accountId, mpnId, key, _) = await NewPartnerWithKeyAsync("Before Rename Ltd");
        using var onSecondNode = ApiKeyRequests.WithKey(_secondNode.CreateClient(), key.Secret);
        Assert.That(await PartnerNameOfAsync(onSecondNode, mpnId), Is.EqualTo("Before Rename Ltd"), "now cached on the second node");

        await ReplaceLegalNameAsync(admin, accountId, "After Rename Ltd");
        var renamed = await EventuallyAsync(onSecondNode, mpnId, (r, body) => r.IsSuccessStatusCode && body.Contains("After Rename Ltd", StringComparison.Ordinal));

        using (var revoke = await admin.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var refused = await EventuallyAsync(onSecondNode, mpnId, (r, _) => r.StatusCode == HttpStatusCode.Unauthorized);

        Assert.That(renamed, Is.True, $"the second node still answered the old name after {OtherNodeDeadline}");
        Assert.That(refused, Is.True, $"the second node still accepted the revoked key after {OtherNodeDeadline}");
    }

    [Test]
    public async Task VerifyMpnId_WithAKey_ShouldRecordTheKeysLastUse()
    {
        var (admin, accountId, mpnId, key, _) = await NewPartnerWithKeyAsync();
        using var integration = ApiKeyRequests.WithKey(_secondNode.CreateClient(), key.Secret);
        var before = DateTime.UtcNow.AddSeconds(-1);

        // A key created on one node reaches another one's key set through the change feed, within about half a second.
        Assert.That(await EventuallyAsync(integration, mpnId, (r, _) => r.IsSuccessStatusCode), Is.True, "the new key works on the second node");

        DateTime? lastUsedAt = null;
        var clock = Stopwatch.StartNew();
        while (lastUsedAt is null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            var listed = (await admin.GetFromJsonAsync<JsonObject>(ApiKeyRequests.KeysOf(accountId)))!["items"]![0]!;
            lastUsedAt = listed["lastUsedAt"]?.GetValue<DateTime>();
        }

        Assert.That(lastUsedAt, Is.Not.Null.And.GreaterThan(before));
    }

    [Test]
    public async Task VerifyMpnId_WithAKeyAfterTheKeySetWasReadAgain_ShouldRecordItsUseAtMostOnceAMinute()
    {
        // A node that reads its key set again every second and writes noted uses every second.
        await using var node = Factory.WithWebHostBuilder(b => b.UseSetting("ApiKeys:UsageFlushSeconds", "1").UseSetting("Caching:MaxAgeSeconds", "1"));
        var (admin, accountId, mpnId, key, _) = await NewPartnerWithKeyAsync();
        using var integration = ApiKeyRequests.WithKey(node.CreateClient(), key.Secret);
        Assert.That(await EventuallyAsync(integration, mpnId, (r, _) => r.IsSuccessStatusCode), Is.True, "the new key works on the node");

        async Task<DateTime?> LastUsedAtAsync() =>
            (await admin.GetFromJsonAsync<JsonObject>(ApiKeyRequests.KeysOf(accountId)))!["items"]![0]!["lastUsedAt"]?.GetValue<DateTime>();
        DateTime? first = null;
        var clock = Stopwatch.StartNew();
        while (first is null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            first = await LastUsedAtAsync();
        }

        Assert.That(first, Is.Not.Null, "the first use was recorded");
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(1100); // past the key set's maximum age: the next verification reads it again
            using var again = await integration.GetAsync(VerifyUri(mpnId));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Task.Delay(1500); // past a flush
        Assert.That(await LastUsedAtAsync(), Is.EqualTo(first), "a use is recorded at most once a minute, however often the key set is read");
    }
}
