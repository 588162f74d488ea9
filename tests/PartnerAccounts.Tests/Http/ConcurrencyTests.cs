using System.Net;
using System.Net.Http.Json;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>Invariants under concurrent requests; like every HTTP test, these run on SQLite and on PostgreSQL.</summary>
public sealed class ConcurrencyTests : ApiTest
{
    [Test]
    public async Task ReplaceProfile_WhenManyWritersShareOneETag_ShouldLetExactlyOneWinAndRefuseTheRestWith412()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = $"/v1/accounts/{accountId}/profiles/organization";
        var (current, etag) = await GetWithETagAsync(client, uri);

        var writers = Enumerable.Range(0, 6).Select(async i =>
        {
            var body = current.DeepClone().AsObject();
            body["companyName"] = $"Writer {i}";
            using var request = Json(HttpMethod.Put, uri, body, etag);
            using var response = await client.SendAsync(request);
            return (Writer: i, response.StatusCode, Code: response.StatusCode == HttpStatusCode.OK ? null : (await ReadJsonAsync(response))["code"]?.GetValue<string>());
        });
        var results = await Task.WhenAll(writers);

        var winners = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.That(winners, Has.Count.EqualTo(1), string.Join(", ", results.Select(r => $"{r.Writer}:{(int)r.StatusCode}")));
        Assert.That(results.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => (r.StatusCode, r.Code)),
            Is.All.EqualTo((HttpStatusCode.PreconditionFailed, (string?)"etag_mismatch")));
        var (stored, _) = await GetWithETagAsync(client, uri);
        Assert.That(stored["companyName"]!.GetValue<string>(), Is.EqualTo($"Writer {winners[0].Writer}"), "the winner's write is the one stored");
    }

    [Test]
    public async Task CreateAccount_WhenManyCallersCreateAtOnce_ShouldIssueUniqueMpnIdsToAccountsAndLocations()
    {
        var callers = Enumerable.Range(0, 16).Select(_ => As(NewEmail("burst"))).ToList();
        try
        {
            var accounts = await Task.WhenAll(callers.Select(c => CreateAccountAsync(c)));
            var locationIds = await Task.WhenAll(callers.Zip(accounts).Select(async pair =>
            {
                var page = (await pair.First.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/v1/accounts/{pair.Second["id"]}/locations"))!;
                return page["items"]!.AsArray().Select(l => l!["mpnId"]!.GetValue<string>()).ToList();
            }));

            var all = accounts.Select(a => a["mpnId"]!.GetValue<string>()).Concat(locationIds.SelectMany(x => x)).ToList();
            Assert.That(all, Has.Count.EqualTo(32));
            Assert.That(all, Is.Unique);
        }
        finally
        {
            callers.ForEach(c => c.Dispose());
        }
    }
}
