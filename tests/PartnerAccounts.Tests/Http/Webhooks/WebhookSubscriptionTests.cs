using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Domain.Webhooks;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Infrastructure.Webhooks;

namespace PartnerAccounts.Tests.Http.Webhooks;

/// <summary>Subscriptions on the shared host (no private receivers allowed there): URL rules, validation, preconditions, permissions, the secret at rest.</summary>
public sealed class WebhookSubscriptionTests : WebhookTest
{
    private static string WebhooksOf(Guid accountId) => $"/v1/accounts/{accountId}/webhooks";

    [TestCase("http://hooks.fabrikam.example/in")]
    [TestCase("https://127.0.0.1/in")]
    [TestCase("https://localhost/in")]
    [TestCase("https://10.1.2.3/in")]
    [TestCase("https://192.168.0.10/in")]
    [TestCase("https://169.254.169.254/latest/meta-data")]
    [TestCase("https://[::1]/in")]
    [TestCase("https://[fd00::1]/in")]
    [TestCase("https://user:password@hooks.fabrikam.example/in")]
    [TestCase("https://no-such-host.invalid/in")]
    public async Task Create_WhenTheUrlIsNotAPublicHttpsReceiver_ShouldBe422WebhookUrlNotAllowed(string url)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await admin.PostAsJsonAsync(WebhooksOf(accountId), new { url, events = new[] { "*" }, enabled = true });
        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "webhook_url_not_allowed");
        Assert.That(FieldErrors(problem), Does.Contain("url"));
    }

    [TestCase("""{"url": "not a url", "events": ["*"], "enabled": true}""", "url")]
    [TestCase("""{"url": "ftp://hooks.fabrikam.example/in", "events": ["*"], "enabled": true}""", "url")]
    [TestCase("""{"url": "https://hooks.fabrikam.example/in", "events": ["profile.deleted"], "enabled": true}""", "events[0]")]
    [TestCase("""{"url": "https://hooks.fabrikam.example/in", "events": [], "enabled": true}""", "events")]
    [TestCase("""{"url": "https://hooks.fabrikam.example/in", "events": ["*"]}""", "enabled")]
    public async Task Create_WhenTheBodyIsInvalid_ShouldBe400ValidationFailed(string body, string field)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await admin.SendAsync(Json(HttpMethod.Post, WebhooksOf(accountId), body));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(string.Join(",", FieldErrors(problem)), Does.Contain(field).IgnoreCase);
    }

    [Test]
    public async Task Webhooks_ShouldBeManagedByGlobalAndAccountAdminsOnly_AndHiddenFromNonMembers()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, _, _) = await SubscribeAsync(admin, accountId);
        var one = $"{WebhooksOf(accountId)}/{webhook["id"]}";
        var body = new { url = Receiver.NewEndpoint().ToString(), events = new[] { "user.invited" }, enabled = true };

        var (developer, _, developerEmail) = await NewMemberAsync(admin, accountId, "sales-agent");
        var (_, _, accountAdminEmail) = await NewMemberAsync(admin, accountId, "account-admin");
        using var developerOnHost = On(developerEmail);
        using var accountAdmin = On(accountAdminEmail);
        using var stranger = On(NewEmail("stranger"));
        developer.Dispose();

        foreach (var uri in new[] { WebhooksOf(accountId), one, $"{one}/deliveries", $"/v1/accounts/{accountId}/events" })
        {
            using var denied = await developerOnHost.GetAsync(new Uri(uri, UriKind.Relative));
            await AssertProblemAsync(denied, HttpStatusCode.Forbidden, "permission_denied");
            using var hidden = await stranger.GetAsync(new Uri(uri, UriKind.Relative));
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "account_not_found");
        }

        using (var denied = await developerOnHost.PostAsJsonAsync(WebhooksOf(accountId), body))
        {
            await AssertProblemAsync(denied, HttpStatusCode.Forbidden, "permission_denied");
        }

        using (var rotate = await developerOnHost.PostAsync(new Uri($"{one}/secret-rotations", UriKind.Relative), null))
        {
            await AssertProblemAsync(rotate, HttpStatusCode.Forbidden, "permission_denied");
        }

        using (var created = await accountAdmin.PostAsJsonAsync(WebhooksOf(accountId), body))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), "an Account admin manages webhooks");
        }

        using var unknown = await admin.GetAsync(new Uri($"{WebhooksOf(accountId)}/{Guid.NewGuid()}", UriKind.Relative));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "webhook_not_found");
        using var list = await accountAdmin.GetAsync(new Uri(WebhooksOf(accountId), UriKind.Relative));
        Assert.That((await ReadJsonAsync(list))["items"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ReplaceAndDelete_ShouldRequireACurrentIfMatch()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId);
        var one = $"{WebhooksOf(accountId)}/{webhook["id"]}";
        var body = new { url = endpoint.ToString(), events = new[] { "user.removed", "user.invited" }, enabled = false };

        using (var missing = await admin.SendAsync(Json(HttpMethod.Put, one, body)))
        {
            await AssertProblemAsync(missing, HttpStatusCode.PreconditionRequired, "if_match_required");
        }

        var (_, etag) = await GetWithETagAsync(admin, one);
        using (var replaced = await admin.SendAsync(Json(HttpMethod.Put, one, body, etag)))
        {
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replaced.Content.ReadAsStringAsync());
            var json = await ReadJsonAsync(replaced);
            Assert.That(json["events"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "user.invited", "user.removed" }));
            Assert.That(json["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(replaced.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
        }

        using (var stale = await admin.SendAsync(Json(HttpMethod.Delete, one, null, etag)))
        {
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        }

        using (var noTag = await admin.SendAsync(Json(HttpMethod.Delete, one, null)))
        {
            await AssertProblemAsync(noTag, HttpStatusCode.PreconditionRequired, "if_match_required");
        }

        var (_, current) = await GetWithETagAsync(admin, one);
        using (var deleted = await admin.SendAsync(Json(HttpMethod.Delete, one, null, current)))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var gone = await admin.GetAsync(new Uri(one, UriKind.Relative));
        await AssertProblemAsync(gone, HttpStatusCode.NotFound, "webhook_not_found");
    }

    [Test]
    public async Task Create_WhenTheAccountHasTenWebhooks_ShouldBe409WebhookLimitReached_UntilOneIsDeleted()
    {
        var (admin, accountId) = await NewAccountAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await SubscribeAsync(admin, accountId, "location.created")).Webhook["id"]!.GetValue<Guid>());
        }

        using (var eleventh = await admin.PostAsJsonAsync(WebhooksOf(accountId), new { url = Receiver.NewEndpoint().ToString(), events = new[] { "*" }, enabled = true }))
        {
            await AssertProblemAsync(eleventh, HttpStatusCode.Conflict, "webhook_limit_reached");
        }

        var (_, etag) = await GetWithETagAsync(admin, $"{WebhooksOf(accountId)}/{ids[0]}");
        using (var deleted = await admin.SendAsync(Json(HttpMethod.Delete, $"{WebhooksOf(accountId)}/{ids[0]}", null, etag)))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var again = await admin.PostAsJsonAsync(WebhooksOf(accountId), new { url = Receiver.NewEndpoint().ToString(), events = new[] { "*" }, enabled = true });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a deleted webhook frees its place");
    }

    [Test]
    public async Task Create_ThirtyAtOnce_ShouldCreateExactlyTenAndRefuseTheRestWith409WebhookLimitReached()
    {
        var (admin, accountId) = await NewAccountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            admin.PostAsJsonAsync(WebhooksOf(accountId), new { url = Receiver.NewEndpoint().ToString(), events = new[] { "location.created" }, enabled = true })));

        try
        {
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                await AssertProblemAsync(refused, HttpStatusCode.Conflict, "webhook_limit_reached");
            }

            var listed = await admin.GetFromJsonAsync<JsonObject>($"{WebhooksOf(accountId)}?limit=200");
            Assert.Multiple(() =>
            {
                Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Webhook.MaxPerAccount));
                Assert.That(listed!["items"]!.AsArray(), Has.Count.EqualTo(Webhook.MaxPerAccount));
            });
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task Create_WhenRetriedWithTheSameIdempotencyKey_ShouldRepeatTheSecretOnlyWhileItIsCurrent()
    {
        var (admin, accountId) = await NewAccountAsync();
        var body = new { url = Receiver.NewEndpoint().ToString(), events = new[] { "*" }, enabled = true };
        var key = "create-" + Guid.NewGuid().ToString("N");
        var (first, firstHeaders) = await PostIdempotentAsync(admin, WebhooksOf(accountId), body, key, HttpStatusCode.Created);
        var (replay, replayHeaders) = await PostIdempotentAsync(admin, WebhooksOf(accountId), body, key, HttpStatusCode.Created);
        var secret = first["secret"]!.GetValue<string>();
        var webhookId = first["id"]!.GetValue<Guid>();
        Assert.Multiple(() =>
        {
            Assert.That(replayHeaders.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(replayHeaders.Contains("Idempotent-Secret-Withheld"), Is.False, "the secret is still current");
            Assert.That(replay["id"]!.GetValue<Guid>(), Is.EqualTo(webhookId), "one webhook, not two");
            Assert.That(replay["secret"]!.GetValue<string>(), Is.EqualTo(secret));
            Assert.That(firstHeaders.Contains("Idempotent-Replayed"), Is.False);
        });

        // A rotation (retried too) makes the creation's secret stale: its replay then leaves the secret out.
        var rotationKey = "rotate-" + Guid.NewGuid().ToString("N");
        var rotations = $"{WebhooksOf(accountId)}/{webhookId}/secret-rotations";
        var (rotated, _) = await PostIdempotentAsync(admin, rotations, null, rotationKey, HttpStatusCode.OK);
        var (rotatedReplay, rotatedReplayHeaders) = await PostIdempotentAsync(admin, rotations, null, rotationKey, HttpStatusCode.OK);
        var (stale, staleHeaders) = await PostIdempotentAsync(admin, WebhooksOf(accountId), body, key, HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(rotatedReplay["secret"]!.GetValue<string>(), Is.EqualTo(rotated["secret"]!.GetValue<string>()), "a retried rotation does not rotate again");
            Assert.That(rotatedReplayHeaders.Contains("Idempotent-Secret-Withheld"), Is.False);
            Assert.That(staleHeaders.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(staleHeaders.GetValues("Idempotent-Secret-Withheld"), Is.EqualTo(new[] { "true" }));
            Assert.That(stale.ContainsKey("secret"), Is.False, "a rotated-out secret is not repeated");
            Assert.That(stale.ToJsonString(), Does.Not.Contain(secret[6..]));
            Assert.That(stale["id"]!.GetValue<Guid>(), Is.EqualTo(webhookId));
        });

        // Deleting the webhook withholds the rotation's secret from a replay too.
        var (_, etag) = await GetWithETagAsync(admin, $"{WebhooksOf(accountId)}/{webhookId}");
        using (var deleted = await admin.SendAsync(Json(HttpMethod.Delete, $"{WebhooksOf(accountId)}/{webhookId}", null, etag)))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var (gone, goneHeaders) = await PostIdempotentAsync(admin, rotations, null, rotationKey, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(goneHeaders.GetValues("Idempotent-Secret-Withheld"), Is.EqualTo(new[] { "true" }));
            Assert.That(gone.ContainsKey("secret"), Is.False);
        });
    }

    private static async Task<(JsonObject Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> PostIdempotentAsync(
        HttpClient client, string uri, object? body, string key, HttpStatusCode expected)
    {
        using var request = Json(HttpMethod.Post, uri, body);
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return ((await ReadJsonAsync(response)).AsObject(), response.Headers);
    }

    [Test]
    public async Task Secret_ShouldBeShownOnceAndStoredNowhereInTheClear()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, _, secret) = await SubscribeAsync(admin, accountId);
        string rotated;
        using (var rotation = await admin.PostAsync(new Uri($"{WebhooksOf(accountId)}/{webhook["id"]}/secret-rotations", UriKind.Relative), null))
        {
            rotated = (await ReadJsonAsync(rotation))["secret"]!.GetValue<string>();
        }

        var needles = new[] { secret, secret[6..], rotated, rotated[6..], Convert.ToHexString(Convert.FromBase64String(secret[6..])) };
        var reads = new List<string>();
        foreach (var uri in new[] { WebhooksOf(accountId), $"{WebhooksOf(accountId)}/{webhook["id"]}", $"/v1/accounts/{accountId}/auditrecords", $"/v1/accounts/{accountId}/events" })
        {
            using var response = await admin.GetAsync(new Uri(uri, UriKind.Relative));
            reads.Add(await response.Content.ReadAsStringAsync());
        }

        var stored = await EveryStoredRowAsync();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Any(r => r.Contains(webhook["id"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)), Is.True, "the scan sees the webhook's row");
            foreach (var needle in needles)
            {
                Assert.That(reads.Where(r => r.Contains(needle, StringComparison.OrdinalIgnoreCase)), Is.Empty, "a read shows a secret");
                Assert.That(stored.Where(r => r.Contains(needle, StringComparison.OrdinalIgnoreCase)).Select(r => r[..Math.Min(200, r.Length)]), Is.Empty, "a table holds a secret in the clear");
            }
        });
    }

    [Test]
    public async Task Sender_WhenTheReceiverIsOnALoopbackAddress_ShouldRefuseToConnectUnlessPrivateTargetsAreAllowed()
    {
        var endpoint = Receiver.NewEndpoint();
        var byName = new UriBuilder(endpoint) { Host = "localhost" }.Uri;
        using var strict = new WebhookSender(new WebhookOptions { Timeout = TimeSpan.FromSeconds(2) });
        using var lenient = new WebhookSender(new WebhookOptions { Timeout = TimeSpan.FromSeconds(2), AllowPrivateTargets = true });
        var secrets = new[] { PartnerAccounts.Domain.Webhooks.WebhookSecret.Generate() };

        var refusedLiteral = await strict.SendAsync(endpoint, "msg-1", "{}", secrets, CancellationToken.None);
        var refusedName = await strict.SendAsync(byName, "msg-2", "{}", secrets, CancellationToken.None);
        var allowed = await lenient.SendAsync(endpoint, "msg-3", "{}", secrets, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(refusedLiteral.Delivered, Is.False);
            Assert.That(refusedLiteral.Error, Does.Contain("no public address"));
            Assert.That(refusedName.Delivered, Is.False);
            Assert.That(refusedName.Error, Does.Contain("no public address"), "a name resolving to loopback is refused when connecting");
            Assert.That(allowed.Delivered, Is.True, allowed.Error);
            Assert.That(Receiver.ReceivedAt(endpoint).Select(r => r.Id), Is.EqualTo(new[] { "msg-3" }), "nothing reached the receiver from the strict sender");
        });
    }

    /// <summary>Every row of every table of the model, serialized: the whole database as the service stores it.</summary>
    private async Task<List<string>> EveryStoredRowAsync()
    {
        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rowsOf = typeof(WebhookSubscriptionTests).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        var rows = new List<string>();
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && !t.HasSharedClrType))
        {
            rows.AddRange(await (Task<List<string>>)rowsOf.MakeGenericMethod(type.ClrType).Invoke(null, [db])!);
        }

        return rows;
    }

    private static async Task<List<string>> RowsOfAsync<T>(AppDbContext db)
        where T : class
    {
        var rows = new List<string>();
        foreach (var row in await db.Set<T>().AsNoTracking().ToListAsync())
        {
            var entry = db.Entry(row);
            var values = entry.Properties.ToDictionary(p => p.Metadata.Name, p => p.CurrentValue is byte[] bytes ? Convert.ToBase64String(bytes) + " " + Convert.ToHexString(bytes) : p.CurrentValue);
            rows.Add(typeof(T).Name + " " + JsonSerializer.Serialize(values));
        }

        return rows;
    }
}
