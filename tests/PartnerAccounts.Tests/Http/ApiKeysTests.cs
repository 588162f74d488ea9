using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>API keys for MPN ID verification: created by account admins, the secret shown once and stored only as a hash, revoked at once.</summary>
public sealed class ApiKeysTests : ApiTest
{
    private const string SecretPattern = "^pak_[a-z2-7]{8}_[a-z2-7]{52}$";

    [Test]
    public async Task CreateApiKey_AsGlobalAdmin_ShouldReturnTheSecretOnceWithItsPrefix()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "ERP integration" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var key = (await ReadJsonAsync(response)).AsObject();
        var secret = key["secret"]!.GetValue<string>();
        var prefix = key["prefix"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(secret, Does.Match(SecretPattern));
            Assert.That(secret, Does.StartWith($"pak_{prefix}_"));
            Assert.That(key["name"]!.GetValue<string>(), Is.EqualTo("ERP integration"));
            Assert.That(key["lastUsedAt"], Is.Null);
            Assert.That(key["createdAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/accounts/{accountId}/api-keys/{key["id"]}"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, "a response holding a secret must not be cached");
        });
    }

    [Test]
    public async Task ListApiKeys_AfterCreation_ShouldShowThePrefixButNeverTheSecret()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var first = await ApiKeyRequests.CreateAsync(client, accountId, "first");
        var second = await ApiKeyRequests.CreateAsync(client, accountId, "second");

        using var list = await client.GetAsync(ApiKeyRequests.KeysOf(accountId));
        var text = await list.Content.ReadAsStringAsync();
        using var single = await client.GetAsync($"{ApiKeyRequests.KeysOf(accountId)}/{first.Id}");
        var singleText = await single.Content.ReadAsStringAsync();

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(single.StatusCode, Is.EqualTo(HttpStatusCode.OK), singleText);
        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "first", "second" }), "oldest first");
            Assert.That(items.Select(i => i!["prefix"]!.GetValue<string>()), Is.EqualTo(new[] { first.Prefix, second.Prefix }));
            Assert.That(items.Select(i => i!.AsObject().ContainsKey("secret")), Has.All.False);
            Assert.That(text, Does.Not.Contain(first.Secret).And.Not.Contain(second.Secret));
            Assert.That(text, Does.Not.Contain(first.Secret[13..]).And.Not.Contain(second.Secret[13..]));
            Assert.That(JsonNode.Parse(singleText)!["prefix"]!.GetValue<string>(), Is.EqualTo(first.Prefix));
            Assert.That(singleText, Does.Not.Contain(first.Secret[13..]));
        });
    }

    [Test]
    public async Task ListApiKeys_WithLimit_ShouldPageWithAContinuationToken()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await ApiKeyRequests.CreateAsync(client, accountId, name);
        }

        using var page1 = await client.GetAsync($"{ApiKeyRequests.KeysOf(accountId)}?limit=2");
        var body1 = (await ReadJsonAsync(page1)).AsObject();
        var token = body1["continuationToken"]!.GetValue<string>();
        using var page2 = await client.GetAsync($"{ApiKeyRequests.KeysOf(accountId)}?limit=2&continuationToken={Uri.EscapeDataString(token)}");
        var body2 = (await ReadJsonAsync(page2)).AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(body1["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(page1.Headers.TryGetValues("Link", out var links) && links.Single().Contains("rel=\"next\"", StringComparison.Ordinal), Is.True);
            Assert.That(body2["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "c" }));
            Assert.That(body2["continuationToken"], Is.Null);
        });
    }

    [Test]
    public async Task CreateApiKey_Always_ShouldStoreOnlyAHashOfTheSecret()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(client, accountId, "stored");

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var row = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id);

        var randomPart = key.Secret[13..];
        Assert.Multiple(() =>
        {
            Assert.That(row.SecretHash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(key.Secret))));
            Assert.That(row.Prefix, Is.EqualTo(key.Prefix));
            Assert.That(new[] { row.Name, row.Prefix, row.CreatedBy }, Has.None.Contains(randomPart));
            Assert.That(Encoding.UTF8.GetString(row.SecretHash), Does.Not.Contain(randomPart));
        });
    }

    [Test]
    public async Task RevokeApiKey_WhenTheKeyExists_ShouldStopItAtOnceAndRemoveItFromTheList()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(client, accountId, "short-lived");
        var mpnId = account["mpnId"]!.GetValue<string>();
        using var integration = ApiKeyRequests.WithKey(Factory.CreateClient(), key.Secret);
        using (var before = await integration.GetAsync($"/v1/profiles/mpn?mpnId={mpnId}"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key works before it is revoked");
        }

        using var revoke = await client.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}");
        using var after = await integration.GetAsync($"/v1/profiles/mpn?mpnId={mpnId}");
        using var list = await client.GetAsync(ApiKeyRequests.KeysOf(accountId));
        using var again = await client.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}");

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await revoke.Content.ReadAsStringAsync());
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.That((await ReadJsonAsync(list))["items"]!.AsArray(), Is.Empty);
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "api_key_not_found");
    }

    [Test]
    public async Task CreateAndRevokeApiKey_Always_ShouldBeAuditedWithoutTheSecret()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(client, accountId, "audited");
        using var revoke = await client.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}");
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var records = await AuditLog.ReadAsync(accountId, "api-keys");

        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "created", "revoked" }));
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.ResourceId), Has.All.EqualTo(key.Id.ToString()));
            Assert.That(records[0].After, Does.Contain(key.Prefix).And.Contain("audited"));
            Assert.That(records.Select(r => (r.Before ?? string.Empty) + (r.After ?? string.Empty)), Has.None.Contains(key.Secret[13..]));
        });
    }

    [Test]
    public async Task CreateApiKey_WithoutName_ShouldBe400WithTheField()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var empty = await client.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "" });
        using var tooLong = await client.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = new string('n', 101) });

        Assert.That(FieldErrors(await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "validation_failed")), Does.Contain("name"));
        Assert.That(FieldErrors(await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, "validation_failed")), Does.Contain("name"));
    }

    [Test]
    public async Task ApiKeys_ForAMemberWithoutApiKeysManage_ShouldBe403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId, "admin's");
        var agentEmail = NewEmail("agent");
        using (var invite = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/users", new { email = agentEmail }))
        {
            Assert.That(invite.StatusCode, Is.EqualTo(HttpStatusCode.Created), await invite.Content.ReadAsStringAsync());
            var userId = (await ReadJsonAsync(invite))["user"]!["id"]!.GetValue<Guid>();
            using var assign = await admin.PutAsync($"/v1/accounts/{accountId}/users/{userId}/roles/sales-agent", null);
            Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK), await assign.Content.ReadAsStringAsync());
        }

        using var agent = As(agentEmail);
        using var create = await agent.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "mine" });
        using var list = await agent.GetAsync(ApiKeyRequests.KeysOf(accountId));
        using var revoke = await agent.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}");

        await AssertProblemAsync(create, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(list, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(revoke, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task ApiKeys_ForANonMember_ShouldBe404()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId, "private");
        using var stranger = As(NewEmail("stranger"));

        using var create = await stranger.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "" });
        using var list = await stranger.GetAsync(ApiKeyRequests.KeysOf(accountId));
        using var revoke = await stranger.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}");

        await AssertProblemAsync(create, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(list, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(revoke, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task RevokeApiKey_OfAnotherAccount_ShouldBe404AndLeaveTheKeyWorking()
    {
        var (owner, ownerAccount, account) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(owner, ownerAccount, "owner's");
        var (other, otherAccount, _) = await NewAdminWithAccountAsync();

        using var revoke = await other.DeleteAsync($"{ApiKeyRequests.KeysOf(otherAccount)}/{key.Id}");
        using var integration = ApiKeyRequests.WithKey(Factory.CreateClient(), key.Secret);
        using var verify = await integration.GetAsync($"/v1/profiles/mpn?mpnId={account["mpnId"]!.GetValue<string>()}");

        await AssertProblemAsync(revoke, HttpStatusCode.NotFound, "api_key_not_found");
        Assert.That(verify.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ApiKeys_WithoutAToken_ShouldBe401()
    {
        using var anonymous = Anonymous();

        using var list = await anonymous.GetAsync(ApiKeyRequests.KeysOf(Guid.NewGuid()));

        await AssertProblemAsync(list, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task CreateApiKey_WhenTheAccountHas25ActiveKeys_ShouldBe409UntilOneIsRevoked()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var keys = new List<ApiKeyRequests.CreatedKey>();
        for (var i = 0; i < 25; i++)
        {
            keys.Add(await ApiKeyRequests.CreateAsync(admin, accountId, $"key {i}"));
        }

        using var refused = await admin.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "one too many" });
        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "api_key_limit_reached");

        using (var revoke = await admin.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{keys[7].Id}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        await ApiKeyRequests.CreateAsync(admin, accountId, "in the freed slot");
        using var refusedAgain = await admin.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = "one too many again" });
        await AssertProblemAsync(refusedAgain, HttpStatusCode.Conflict, "api_key_limit_reached");
    }

    [Test]
    public async Task CreateApiKey_ThirtyAtOnce_ShouldCreateExactly25AndRefuseTheRestWith409()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => admin.PostAsJsonAsync(ApiKeyRequests.KeysOf(accountId), new { name = $"parallel {i}" })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "api_key_limit_reached");
        }

        var listed = await admin.GetFromJsonAsync<JsonObject>($"{ApiKeyRequests.KeysOf(accountId)}?limit=200");
        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(25));
        Assert.That(listed!["items"]!.AsArray(), Has.Count.EqualTo(25));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

/// <summary>Creating keys and sending them, for the API key and MPN verification tests.</summary>
internal static class ApiKeyRequests
{
    public sealed record CreatedKey(Guid Id, string Prefix, string Secret);

    public static string KeysOf(Guid accountId) => $"/v1/accounts/{accountId}/api-keys";

    public static async Task<CreatedKey> CreateAsync(HttpClient admin, Guid accountId, string name = "integration")
    {
        using var response = await admin.PostAsJsonAsync(KeysOf(accountId), new { name });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var key = JsonNode.Parse(text)!;
        return new CreatedKey(key["id"]!.GetValue<Guid>(), key["prefix"]!.GetValue<string>(), key["secret"]!.GetValue<string>());
    }

    public static HttpClient WithKey(HttpClient client, string secret)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }
}
