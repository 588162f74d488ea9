using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PartnerAccounts.Infrastructure.MpnVerification;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Per-account verification budgets (a hit budget and a much smaller miss budget, shared by all of an account's keys and
/// members, and on PostgreSQL by all nodes), their RateLimit-* headers, and bulk verification.
/// </summary>
public sealed class MpnVerificationBudgetsTests : ApiTest
{
    private const int Hits = 3;
    private const int Misses = 2;

    private WebApplicationFactory<Program> _limited = null!;
    private WebApplicationFactory<Program> _limitedPeer = null!;

    [OneTimeSetUp]
    public void StartLimitedNodes()
    {
        // Tiny budgets over an hour-long window (a test never straddles a window's end by accident); two nodes on one database.
        _limited = Factory.WithWebHostBuilder(Limited);
        _limitedPeer = Factory.WithWebHostBuilder(Limited);
    }

    private static void Limited(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) => builder
        .UseSetting("MpnVerification:Budgets:HitsPerWindow", Hits.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("MpnVerification:Budgets:MissesPerWindow", Misses.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("MpnVerification:Budgets:WindowSeconds", "3600")
        .UseSetting("MpnVerification:Budgets:FlushMilliseconds", "50");

    /// <summary>
    /// The budget windows are aligned to the clock (an hour here): a test that began in the last half minute of one would see
    /// its counts reset in the next, so it starts in the next window instead.
    /// </summary>
    [SetUp]
    public async Task StartInAFreshEnoughWindowAsync()
    {
        var untilNextWindow = 3600 - (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 3600);
        if (untilNextWindow < 30)
        {
            await Task.Delay(TimeSpan.FromSeconds(untilNextWindow + 1));
        }
    }

    [OneTimeTearDown]
    public async Task StopLimitedNodesAsync()
    {
        await _limited.DisposeAsync();
        await _limitedPeer.DisposeAsync();
    }

    private static string VerifyUri(string mpnId) => $"/v1/profiles/mpn?mpnId={Uri.EscapeDataString(mpnId)}";

    /// <summary>A new account and its admin; on <paramref name="node"/> when given, so keys the admin creates work there at once.</summary>
    private static async Task<(HttpClient Admin, Guid AccountId, string MpnId, string LegalName)> NewPartnerAsync(WebApplicationFactory<Program>? node = null)
    {
        var admin = node is null ? As(NewEmail("admin")) : BearerOn(node, NewEmail("admin"));
        var legalName = "Budget Partner " + Guid.NewGuid().ToString("N")[..8];
        var account = await CreateAccountAsync(admin, legalName);
        return (admin, account["id"]!.GetValue<Guid>(), account["mpnId"]!.GetValue<string>(), legalName);
    }

    private static HttpClient BearerOn(WebApplicationFactory<Program> node, string email)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", PartnerAccounts.Api.Auth.Authentication.CreateToken(Factory.Configuration, email, false, TimeSpan.FromMinutes(10)));
        return client;
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(response.Headers.GetValues(name).Single(), System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertBudget(HttpResponseMessage response, int limit, int remaining)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "RateLimit-Limit"), Is.EqualTo(limit), "RateLimit-Limit");
            Assert.That(Header(response, "RateLimit-Remaining"), Is.EqualTo(remaining), "RateLimit-Remaining");
            Assert.That(Header(response, "RateLimit-Reset"), Is.InRange(1, 3600), "RateLimit-Reset");
        });
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, int limit)
    {
        await AssertPartnerCenterRateLimitAsync(response);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(3600)));
        AssertBudget(response, limit, 0);
    }

    [Test]
    public async Task VerifyMpnId_WithinTheHitBudget_ShouldReportItInRateLimitHeaders()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using var integration = ApiKeyRequests.WithKey(Factory.CreateClient(), key.Secret);

        using var first = await integration.GetAsync(VerifyUri(mpnId));
        using var second = await integration.GetAsync(VerifyUri(mpnId));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertBudget(first, 6000, 5999);
        AssertBudget(second, 6000, 5998);
    }

    [Test]
    public async Task VerifyMpnId_PastTheHitBudget_ShouldBe429WithRetryAfterForEveryKeyOfTheAccount()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync(_limited);
        var key = await ApiKeyRequests.CreateAsync(admin, accountId, "first");
        var otherKey = await ApiKeyRequests.CreateAsync(admin, accountId, "second");
        using var first = ApiKeyRequests.WithKey(_limited.CreateClient(), key.Secret);
        using var second = ApiKeyRequests.WithKey(_limited.CreateClient(), otherKey.Secret);
        var (otherAdmin, otherAccountId, otherMpnId, _) = await NewPartnerAsync(_limited);
        using var otherAccount = ApiKeyRequests.WithKey(_limited.CreateClient(), (await ApiKeyRequests.CreateAsync(otherAdmin, otherAccountId)).Secret);

        for (var i = 0; i < Hits; i++)
        {
            using var allowed = await (i % 2 == 0 ? first : second).GetAsync(VerifyUri(mpnId));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"verification {i + 1} is within the budget");
            AssertBudget(allowed, Hits, Hits - i - 1);
        }

        using var refusedFirst = await first.GetAsync(VerifyUri(mpnId));
        using var refusedSecond = await second.GetAsync(VerifyUri(mpnId));
        using var stillAllowed = await otherAccount.GetAsync(VerifyUri(otherMpnId));

        await AssertRefusedAsync(refusedFirst, Hits);
        await AssertRefusedAsync(refusedSecond, Hits);
        Assert.That(stillAllowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another account has budgets of its own");
    }

    [Test]
    public async Task VerifyMpnId_PastTheMissBudget_ShouldBe429EvenForAKnownId()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync(_limited);
        using var integration = ApiKeyRequests.WithKey(_limited.CreateClient(), (await ApiKeyRequests.CreateAsync(admin, accountId)).Secret);

        using var unknown = await integration.GetAsync(VerifyUri("1"));
        using var malformed = await integration.GetAsync(VerifyUri("12a"));
        using var refusedKnown = await integration.GetAsync(VerifyUri(mpnId));
        using var refusedUnknown = await integration.GetAsync(VerifyUri("2"));

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "mpn_id_not_found");
        AssertBudget(unknown, Misses, Misses - 1);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "invalid_mpn_id");
        AssertBudget(malformed, Misses, 0);
        // Once either budget is used up everything is refused, so a refusal never tells whether an ID exists.
        await AssertRefusedAsync(refusedKnown, Misses);
        await AssertRefusedAsync(refusedUnknown, Misses);
    }

    [Test]
    public async Task VerifyMpnId_WithABearerToken_ShouldDrawOnTheCallersBudget()
    {
        var (_, _, mpnId, _) = await NewPartnerAsync();
        var email = NewEmail("verifier");
        using var caller = BearerOn(_limited, email);

        for (var i = 0; i < Hits; i++)
        {
            using var allowed = await caller.GetAsync(VerifyUri(mpnId));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var refused = await caller.GetAsync(VerifyUri(mpnId));

        await AssertRefusedAsync(refused, Hits);
    }

    [Test]
    public async Task VerifyMpnId_OnTwoNodes_ShouldShareTheAccountsBudgetThroughTheDatabase()
    {
        if (Factory.Database.Provider != "Postgres")
        {
            Assert.Ignore("Budgets are shared between nodes through PostgreSQL; a SQLite service is one node and counts in memory.");
        }

        var (admin, accountId, mpnId, _) = await NewPartnerAsync(_limited);
        var secret = (await ApiKeyRequests.CreateAsync(admin, accountId)).Secret;
        using var onFirst = ApiKeyRequests.WithKey(_limited.CreateClient(), secret);
        using var onSecond = ApiKeyRequests.WithKey(_limitedPeer.CreateClient(), secret);

        for (var i = 0; i < Hits; i++)
        {
            using var allowed = await onFirst.GetAsync(VerifyUri(mpnId));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // The first node shares its counts at its next flush; the second learns the total at its own first flush.
        await _limited.Services.GetRequiredService<VerificationBudgetFlusher>().FlushAsync(CancellationToken.None);
        var learned = false;
        for (var attempt = 0; attempt < 40 && !learned; attempt++)
        {
            using var response = await onSecond.GetAsync(VerifyUri(mpnId));
            learned = response.StatusCode == HttpStatusCode.TooManyRequests;
            await Task.Delay(100);
        }

        Assert.That(learned, Is.True, "the second node never refused although the first used the account's hit budget up");
    }

    [Test]
    public async Task VerifyMpnIds_WithMixedIds_ShouldAnswerEachInRequestOrder()
    {
        var (admin, accountId, mpnId, legalName) = await NewPartnerAsync();
        using var integration = ApiKeyRequests.WithKey(Factory.CreateClient(), (await ApiKeyRequests.CreateAsync(admin, accountId)).Secret);

        using var response = await integration.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { "1", mpnId, "x1", mpnId } });

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var expected = JsonNode.Parse($$"""
            {"items": [
              {"mpnId": "1", "status": "notFound"},
              {"mpnId": "{{mpnId}}", "status": "verified", "partnerName": "{{legalName}}"},
              {"mpnId": "x1", "status": "invalid"},
              {"mpnId": "{{mpnId}}", "status": "verified", "partnerName": "{{legalName}}"}
            ]}
            """);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(text), expected), Is.True, $"got {text}");
        // Two hits, two misses: the header reports the budget with the smaller share left, the miss budget.
        AssertBudget(response, 100, 98);
    }

    [TestCase(0)]
    [TestCase(1001)]
    public async Task VerifyMpnIds_WithTooFewOrTooManyIds_ShouldBe400ValidationFailed(int count)
    {
        using var caller = As(NewEmail("bulk"));

        using var response = await caller.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = Enumerable.Range(0, count).Select(i => (1000000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Does.Contain("mpnIds"));
    }

    [Test]
    public async Task VerifyMpnIds_WithAnIdLongerThan64Characters_ShouldBe400ValidationFailed()
    {
        using var caller = As(NewEmail("bulk"));

        using var response = await caller.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { "1234567", new string('1', 65) } });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task VerifyMpnIds_WithoutMpnIds_ShouldBe400ValidationFailed()
    {
        using var caller = As(NewEmail("bulk"));

        using var response = await caller.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task VerifyMpnIds_WithoutCredentials_ShouldBe401Unauthenticated()
    {
        using var anonymous = Anonymous();

        using var response = await anonymous.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { "1234567" } });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task VerifyMpnIds_WithARevokedKey_ShouldBe401InvalidApiKey()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using (var revoke = await admin.DeleteAsync($"{ApiKeyRequests.KeysOf(accountId)}/{key.Id}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var integration = ApiKeyRequests.WithKey(Factory.CreateClient(), key.Secret);
        using var response = await integration.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { mpnId } });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Test]
    public async Task VerifyMpnIds_WhenTheBatchExceedsABudget_ShouldBe429ForTheWholeBatchAndUseThatBudgetUp()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync(_limited);
        using var integration = ApiKeyRequests.WithKey(_limited.CreateClient(), (await ApiKeyRequests.CreateAsync(admin, accountId)).Secret);

        using var refused = await integration.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { mpnId, "1", "2", "3" } });
        using var after = await integration.GetAsync(VerifyUri(mpnId));

        await AssertRefusedAsync(refused, Misses);
        await AssertRefusedAsync(after, Misses);
    }

    [Test]
    public async Task VerifyMpnIds_WithinTheBudgets_ShouldChargeEachId()
    {
        var (admin, accountId, mpnId, _) = await NewPartnerAsync(_limited);
        using var integration = ApiKeyRequests.WithKey(_limited.CreateClient(), (await ApiKeyRequests.CreateAsync(admin, accountId)).Secret);

        using var batch = await integration.PostAsJsonAsync("/v1/profiles/mpn/verifications", new { mpnIds = new[] { mpnId, mpnId } });
        using var last = await integration.GetAsync(VerifyUri(mpnId));
        using var refused = await integration.GetAsync(VerifyUri(mpnId));

        Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertBudget(batch, Hits, Hits - 2);
        AssertBudget(last, Hits, 0);
        await AssertRefusedAsync(refused, Hits);
    }
}
