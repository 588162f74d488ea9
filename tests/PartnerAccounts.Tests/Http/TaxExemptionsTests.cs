using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class TaxExemptionsTests : ApiTest
{
    private static readonly string NextYear = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string ExemptionsUri(Guid accountId) => $"/v1/accounts/{accountId}/tax-exemptions";

    private static object Body(string country = "US", string? certificateId = null, string? expiresOn = null) =>
        new { country, certificateId = certificateId ?? "CERT-" + Guid.NewGuid().ToString("N")[..8], expiresOn = expiresOn ?? NextYear };

    private static async Task<JsonObject> AddAsync(HttpClient client, Guid accountId, object body)
    {
        using var response = await client.PostAsJsonAsync(ExemptionsUri(accountId), body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    private static async Task<List<string>> AuditActionsAsync(Guid accountId, string exemptionId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditRecords.AsNoTracking()
            .Where(a => a.AccountId == accountId && a.Resource == "tax-exemptions" && a.ResourceId == exemptionId)
            .OrderBy(a => a.Id)
            .Select(a => a.Action)
            .ToListAsync();
    }

    [Test]
    public async Task AddTaxExemption_WhenValid_ShouldReturn201WithLocationAndBeReadableThere()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body("DE", "UST-2024-001", NextYear));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = (await ReadJsonAsync(response)).AsObject();
        var id = created["id"]!.GetValue<Guid>();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/accounts/{accountId}/tax-exemptions/{id}"));
            Assert.That(created["country"]!.GetValue<string>(), Is.EqualTo("DE"));
            Assert.That(created["certificateId"]!.GetValue<string>(), Is.EqualTo("UST-2024-001"));
            Assert.That(created["expiresOn"]!.GetValue<string>(), Is.EqualTo(NextYear));
        });

        using var get = await client.GetAsync(response.Headers.Location);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var read = (await ReadJsonAsync(get)).AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(read["id"]!.GetValue<Guid>(), Is.EqualTo(id));
            Assert.That(read["certificateId"]!.GetValue<string>(), Is.EqualTo("UST-2024-001"));
            Assert.That(read["expiresOn"]!.GetValue<string>(), Is.EqualTo(NextYear));
        });
        Assert.That(await AuditActionsAsync(accountId, id.ToString()), Is.EqualTo(new[] { "added" }));
    }

    [Test]
    public async Task ListTaxExemptions_ShouldListTheAccountsExemptionsInTheOrderAdded()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (other, otherAccountId, _) = await NewAdminWithAccountAsync();
        await AddAsync(other, otherAccountId, Body("FR", "SOMEONE-ELSES"));
        await AddAsync(client, accountId, Body("US", "A-1"));
        await AddAsync(client, accountId, Body("DE", "B-2"));

        var list = (await client.GetFromJsonAsync<JsonObject>(ExemptionsUri(accountId)))!;

        Assert.That(list["items"]!.AsArray().Select(i => i!["certificateId"]!.GetValue<string>()), Is.EqualTo(new[] { "A-1", "B-2" }));
        Assert.That(list["continuationToken"], Is.Null);
    }

    [Test]
    public async Task ListTaxExemptions_WhenLimitIsOne_ShouldPageThroughEveryExemptionOnce()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        foreach (var certificate in new[] { "P-1", "P-2", "P-3" })
        {
            await AddAsync(client, accountId, Body("US", certificate));
        }

        var seen = new List<string>();
        var uri = ExemptionsUri(accountId) + "?limit=1";
        var pages = 0;
        while (true)
        {
            using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = (await ReadJsonAsync(response)).AsObject();
            Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1));
            seen.Add(page["items"]![0]!["certificateId"]!.GetValue<string>());
            pages++;
            if (page["continuationToken"] is null)
            {
                Assert.That(response.Headers.Contains("Link"), Is.False);
                break;
            }

            var link = response.Headers.GetValues("Link").Single();
            Assert.That(link, Does.Contain("rel=\"next\"").And.Contain("limit=1"));
            uri = ExemptionsUri(accountId) + "?limit=1&continuationToken=" + Uri.EscapeDataString(page["continuationToken"]!.GetValue<string>());
        }

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(new[] { "P-1", "P-2", "P-3" }));
    }

    [Test]
    public async Task ListTaxExemptions_WhenTokenBelongsToAnotherAccount_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await AddAsync(client, accountId, Body());
        await AddAsync(client, accountId, Body());
        var token = (await client.GetFromJsonAsync<JsonObject>(ExemptionsUri(accountId) + "?limit=1"))!["continuationToken"]!.GetValue<string>();
        var otherAccountId = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();

        using var response = await client.GetAsync(new Uri($"{ExemptionsUri(otherAccountId)}?limit=1&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }

    [Test]
    public async Task RemoveTaxExemption_WhenItExists_ShouldReturn204AndThen404()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var kept = await AddAsync(client, accountId, Body("US", "KEEP"));
        var removed = await AddAsync(client, accountId, Body("US", "REMOVE"));
        var uri = $"{ExemptionsUri(accountId)}/{removed["id"]}";

        using var delete = await client.DeleteAsync(new Uri(uri, UriKind.Relative));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var get = await client.GetAsync(new Uri(uri, UriKind.Relative));
        using var again = await client.DeleteAsync(new Uri(uri, UriKind.Relative));
        await AssertProblemAsync(get, HttpStatusCode.NotFound, "resource_not_found");
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "resource_not_found");
        var list = (await client.GetFromJsonAsync<JsonObject>(ExemptionsUri(accountId)))!;
        Assert.That(list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()), Is.EqualTo(new[] { kept["id"]!.GetValue<Guid>() }));
        Assert.That(await AuditActionsAsync(accountId, removed["id"]!.GetValue<string>()), Is.EqualTo(new[] { "added", "removed" }));
    }

    [Test]
    public async Task TaxExemption_WhenIdIsUnknownOrOfAnotherAccount_ShouldReturn404()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (other, otherAccountId, _) = await NewAdminWithAccountAsync();
        var foreign = await AddAsync(other, otherAccountId, Body());

        using var unknown = await client.GetAsync(new Uri($"{ExemptionsUri(accountId)}/{Guid.NewGuid()}", UriKind.Relative));
        using var unknownDelete = await client.DeleteAsync(new Uri($"{ExemptionsUri(accountId)}/{Guid.NewGuid()}", UriKind.Relative));
        using var foreignViaOwnAccount = await client.DeleteAsync(new Uri($"{ExemptionsUri(accountId)}/{foreign["id"]}", UriKind.Relative));

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "resource_not_found");
        await AssertProblemAsync(unknownDelete, HttpStatusCode.NotFound, "resource_not_found");
        await AssertProblemAsync(foreignViaOwnAccount, HttpStatusCode.NotFound, "resource_not_found");
        using var stillThere = await other.GetAsync(new Uri($"{ExemptionsUri(otherAccountId)}/{foreign["id"]}", UriKind.Relative));
        Assert.That(stillThere.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AddTaxExemption_WhenSameCountryAndCertificateExist_ShouldReturn409()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await AddAsync(client, accountId, Body("US", "DUP-1"));

        using var duplicate = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body("US", "DUP-1"));

        await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "tax_exemption_exists");
        await AddAsync(client, accountId, Body("CA", "DUP-1"));
        var list = (await client.GetFromJsonAsync<JsonObject>(ExemptionsUri(accountId)))!;
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [TestCase("XX")]
    [TestCase("us")]
    [TestCase("USA")]
    [TestCase("")]
    public async Task AddTaxExemption_WhenCountryIsNotIsoAlpha2_ShouldReturn400NamingIt(string country)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body(country));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "country" }));
    }

    [Test]
    public async Task AddTaxExemption_WhenExpiryIsTodayOrPast_ShouldReturn400NamingIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        foreach (var date in new[] { today.AddDays(-1), today })
        {
            using var response = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body(expiresOn: date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
            Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "expiresOn" }));
        }

        var list = (await client.GetFromJsonAsync<JsonObject>(ExemptionsUri(accountId)))!;
        Assert.That(list["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task AddTaxExemption_WhenFieldsAreMissingOrTooLong_ShouldReturn400ListingEveryOne()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var missing = await client.SendAsync(Json(HttpMethod.Post, ExemptionsUri(accountId), "{}"));
        using var tooLong = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body(certificateId: new string('c', 101)));

        var problem = await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "country", "certificateId", "expiresOn" }));
        var longProblem = await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(longProblem), Is.EqualTo(new[] { "certificateId" }));
    }

    [Test]
    public async Task AddTaxExemption_WhenExpiryIsNotADate_ShouldReturn400MalformedRequest()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.PostAsJsonAsync(ExemptionsUri(accountId), Body(expiresOn: "next year"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "expiresOn" }));
    }

    [Test]
    public async Task TaxExemptions_WhenCallerIsNotAMember_ShouldReturn404()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var exemption = await AddAsync(client, accountId, Body());
        using var stranger = As(NewEmail("stranger"));

        using var list = await stranger.GetAsync(new Uri(ExemptionsUri(accountId), UriKind.Relative));
        using var add = await stranger.PostAsJsonAsync(ExemptionsUri(accountId), Body());
        using var delete = await stranger.DeleteAsync(new Uri($"{ExemptionsUri(accountId)}/{exemption["id"]}", UriKind.Relative));

        await AssertProblemAsync(list, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(add, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(delete, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task TaxExemptions_WhenCallerIsOperator_ShouldReadButNotAddOrRemove()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var exemption = await AddAsync(client, accountId, Body());
        using var op = AsOperator();

        using var list = await op.GetAsync(new Uri(ExemptionsUri(accountId), UriKind.Relative));
        using var add = await op.PostAsJsonAsync(ExemptionsUri(accountId), Body());
        using var delete = await op.DeleteAsync(new Uri($"{ExemptionsUri(accountId)}/{exemption["id"]}", UriKind.Relative));

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(add, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "permission_denied");
        using var stillThere = await client.GetAsync(new Uri($"{ExemptionsUri(accountId)}/{exemption["id"]}", UriKind.Relative));
        Assert.That(stillThere.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
