using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class IdempotencyTests : ApiTest
{
    private static HttpRequestMessage Post(string uri, object body, string key)
    {
        var request = Json(HttpMethod.Post, uri, body);
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<int> AccountCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/v1/me/accounts?limit=200"))!["items"]!.AsArray().Count;

    [Test]
    public async Task CreateAccount_WhenRetriedWithTheSameKeyAndBody_ShouldReplayTheFirstResponseAndCreateOnce()
    {
        using var client = As(NewEmail());
        var body = NewAccountBody();
        var key = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(Post("/v1/accounts", body, key));
        using var retry = await client.SendAsync(Post("/v1/accounts", body, key));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That((await ReadJsonAsync(retry))["id"]!.GetValue<Guid>(), Is.EqualTo((await ReadJsonAsync(first))["id"]!.GetValue<Guid>()));
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(await AccountCountAsync(client), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateAccount_WhenRetriesRace_ShouldCreateOnceAndGiveEveryoneTheSameResponse()
    {
        using var client = As(NewEmail());
        var body = NewAccountBody();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await client.SendAsync(Post("/v1/accounts", body, key));
            return (response.StatusCode, Id: response.IsSuccessStatusCode ? (await ReadJsonAsync(response))["id"]!.GetValue<Guid>() : Guid.Empty);
        }));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(responses.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await AccountCountAsync(client), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateAccount_WhenTheSameKeyComesWithAnotherBody_ShouldReturn422AndCreateNothingMore()
    {
        using var client = As(NewEmail());
        var key = Guid.NewGuid().ToString();
        using var first = await client.SendAsync(Post("/v1/accounts", NewAccountBody("First Ltd"), key));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var other = await client.SendAsync(Post("/v1/accounts", NewAccountBody("Second Ltd"), key));

        await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That(await AccountCountAsync(client), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateAccount_WhenTheFirstAttemptFailed_ShouldLetTheFixedRequestUseTheSameKey()
    {
        using var client = As(NewEmail());
        var key = Guid.NewGuid().ToString();
        using var invalid = await client.SendAsync(Post("/v1/accounts", new { legalName = "" }, key));
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "validation_failed");

        using var fixedRequest = await client.SendAsync(Post("/v1/accounts", NewAccountBody(), key));

        Assert.That(fixedRequest.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task CreateAccount_WhenTheKeyHasExpired_ShouldTreatTheRequestAsNew()
    {
        var email = NewEmail();
        using var client = As(email);
        var key = Guid.NewGuid().ToString();
        using (var first = await client.SendAsync(Post("/v1/accounts", NewAccountBody("Old Ltd"), key)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var expired = await db.IdempotencyRecords.Where(r => r.Key == key)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddHours(-25)).SetProperty(r => r.CreatedAt, DateTime.UtcNow.AddHours(-25)));
            Assert.That(expired, Is.EqualTo(1));
        }

        using var later = await client.SendAsync(Post("/v1/accounts", NewAccountBody("New Ltd"), key));

        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(later.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(await AccountCountAsync(client), Is.EqualTo(2));
    }

    [Test]
    public async Task CreateAccount_WhenTwoCallersUseTheSameKey_ShouldKeepThemApart()
    {
        using var alice = As(NewEmail("alice"));
        using var bob = As(NewEmail("bob"));
        var key = Guid.NewGuid().ToString();

        using var a = await alice.SendAsync(Post("/v1/accounts", NewAccountBody("Alice Ltd"), key));
        using var b = await bob.SendAsync(Post("/v1/accounts", NewAccountBody("Bob Ltd"), key));

        Assert.That(a.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(b.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await ReadJsonAsync(b))["legalName"]!.GetValue<string>(), Is.EqualTo("Bob Ltd"));
    }

    [TestCase("has space")]
    [TestCase("ключ")]
    public async Task CreateAccount_WhenTheKeyIsMalformed_ShouldReturn400AndCreateNothing(string key)
    {
        using var client = As(NewEmail());
        using var request = Json(HttpMethod.Post, "/v1/accounts", NewAccountBody());
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_idempotency_key");
        Assert.That(await AccountCountAsync(client), Is.Zero);
    }

    [Test]
    public async Task CreateAccount_WhenTheKeyIsTooLong_ShouldReturn400()
    {
        using var client = As(NewEmail());
        using var response = await client.SendAsync(Post("/v1/accounts", NewAccountBody(), new string('k', 256)));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_idempotency_key");
    }

    [Test]
    public async Task CreateLocation_WhenRetriedWithTheSameKey_ShouldCreateOneLocation()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var body = new { name = "Branch", address = new { addressLine1 = "2 Side St", city = "Tacoma", postalCode = "98402", country = "US" } };
        var key = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(Post($"/v1/accounts/{accountId}/locations", body, key));
        using var retry = await client.SendAsync(Post($"/v1/accounts/{accountId}/locations", body, key));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(retry.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        var locations = (await client.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/locations"))!["items"]!.AsArray();
        Assert.That(locations, Has.Count.EqualTo(2), "the headquarters and one branch");
    }
}
