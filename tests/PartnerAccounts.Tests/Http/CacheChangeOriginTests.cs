using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// A node applies its own changes to its caches as it commits them, and its change feed skips the rows it wrote (their origin
/// is this node): answers it cached after its own change are not dropped at the feed's next poll. Changes other nodes write
/// are still applied (<see cref="MpnVerificationTests"/>, the second node; MultiNode/MultiNodeTests across processes).
/// </summary>
public sealed class CacheChangeOriginTests : ApiTest
{
    private WebApplicationFactory<Program> _node = null!;

    [OneTimeSetUp]
    public void StartNode() => _node = Factory.WithWebHostBuilder(builder => builder
        .UseSetting("Caching:FeedPollMilliseconds", "200")
        .UseSetting("Caching:FeedFallbackPollMilliseconds", "200"));

    [OneTimeTearDown]
    public async Task StopNodeAsync() => await _node.DisposeAsync();

    [Test]
    public async Task ChangeFeed_AfterThisNodesOwnChange_ShouldKeepTheAnswerCachedSince()
    {
        var admin = _node.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, NewEmail("admin"), isOperator: false, TimeSpan.FromMinutes(10)));
        var account = await CreateAccountAsync(admin);
        var accountId = account["id"]!.GetValue<Guid>();
        var mpnId = account["mpnId"]!.GetValue<string>();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using var integration = ApiKeyRequests.WithKey(_node.CreateClient(), key.Secret);

        // This node's own change (its feed rows carry this node as their origin), then the new name cached at once.
        var uri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (profile, etag) = await GetWithETagAsync(admin, uri);
        profile["companyName"] = "Own Change Ltd";
        using (var put = await admin.SendAsync(Json(HttpMethod.Put, uri, profile.ToJsonString(), etag)))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }

        Assert.That(await PartnerNameAsync(integration, mpnId), Is.EqualTo("Own Change Ltd"));

        // A change nobody announces (no feed row): an entry dropped for nothing would be reloaded and show it.
        await using (var scope = _node.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var updated = await db.Set<LegalBusinessProfile>().Where(p => p.AccountId == accountId)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.CompanyName, "Unannounced Ltd"));
            Assert.That(updated, Is.EqualTo(1));
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // several polls of the feed, which holds this node's rename rows

        Assert.That(await PartnerNameAsync(integration, mpnId), Is.EqualTo("Own Change Ltd"),
            "the feed re-applied this node's own change and dropped the entry cached after it");
    }

    private static async Task<string?> PartnerNameAsync(HttpClient integration, string mpnId)
    {
        using var response = await integration.GetAsync(new Uri($"/v1/profiles/mpn?mpnId={mpnId}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!["partnerName"]?.GetValue<string>();
    }
}
