using System.Net;
using System.Net.Http.Json;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class AccountsTests : ApiTest
{
    [Test]
    public async Task CreateAccount_WhenValid_ShouldReturn201WithLocationAndMakeCallerGlobalAdmin()
    {
        var email = NewEmail("founder");
        using var client = As(email);

        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody("Northwind Traders Ltd"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var account = (await ReadJsonAsync(response)).AsObject();
        var id = account["id"]!.GetValue<Guid>();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/accounts/{id}"));
            Assert.That(account["legalName"]!.GetValue<string>(), Is.EqualTo("Northwind Traders Ltd"));
            Assert.That(account["displayName"]!.GetValue<string>(), Is.EqualTo("Northwind Traders Ltd"));
            Assert.That(account["mpnId"]!.GetValue<string>(), Does.Match("^[1-9][0-9]{6}$"));
            Assert.That(account["verificationStatus"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(account["status"]!.GetValue<string>(), Is.EqualTo("active"));
        });

        var picker = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/me/accounts"))!;
        var items = picker["items"]!.AsArray();
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(items[0]!["accountId"]!.GetValue<Guid>(), Is.EqualTo(id));
            Assert.That(items[0]!["roles"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { "global-admin" }));
            Assert.That(picker["continuationToken"], Is.Null);
        });

        using var get = await client.GetAsync(new Uri(response.Headers.Location!.ToString(), UriKind.Relative));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(get))["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
    }

    [Test]
    public async Task CreateAccount_WhenManyAreCreated_ShouldIssueDistinctMpnIds()
    {
        using var client = As(NewEmail());
        var creations = Enumerable.Range(0, 8).Select(_ => CreateAccountAsync(client));
        var accounts = await Task.WhenAll(creations);

        var ids = accounts.Select(a => a["mpnId"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.Unique);
        var picker = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/me/accounts?limit=200"))!;
        Assert.That(picker["items"]!.AsArray(), Has.Count.EqualTo(8));
    }

    [Test]
    public async Task CreateAccount_WhenFieldsAreMissingOrInvalid_ShouldReturn400WithEveryFieldAndStoreNothing()
    {
        using var client = As(NewEmail());
        var body = new
        {
            legalName = new string('x', 201),
            address = new { addressLine1 = "", city = "Seattle", postalCode = "98101", country = "XX" },
            primaryContact = new { firstName = "Pat", lastName = "Lee", email = "not-an-email", phoneNumber = "call me" },
        };

        using var response = await client.PostAsJsonAsync("/v1/accounts", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.SupersetOf(new[]
        {
            "legalName", "address.addressLine1", "address.country", "primaryContact.email", "primaryContact.phoneNumber",
        }));
        var picker = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/me/accounts"))!;
        Assert.That(picker["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task CreateAccount_WhenBodyIsMissingParts_ShouldReturn400ListingThem()
    {
        using var client = As(NewEmail());
        using var response = await client.SendAsync(Json(HttpMethod.Post, "/v1/accounts", "{}"));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.SupersetOf(new[] { "legalName", "address", "primaryContact" }));
    }

    [TestCase("{\"legalName\": ")]
    [TestCase("[1,2,3]")]
    [TestCase("{\"legalName\": 42}")]
    [TestCase("{\"address\": \"somewhere\"}")]
    public async Task CreateAccount_WhenJsonIsMalformedOrMistyped_ShouldReturn400MalformedRequest(string raw)
    {
        using var client = As(NewEmail());
        using var response = await client.SendAsync(Json(HttpMethod.Post, "/v1/accounts", raw));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
    }

    [Test]
    public async Task CreateAccount_WhenContentTypeIsNotJson_ShouldReturn415()
    {
        using var client = As(NewEmail());
        using var content = new StringContent("legalName=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/v1/accounts", UriKind.Relative), content);
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Test]
    public async Task CreateAccount_WhenBodyIsOver1MiB_ShouldReturn413()
    {
        using var client = As(NewEmail());
        var raw = "{\"legalName\": \"" + new string('a', (1024 * 1024) + 10) + "\"}";
        using var response = await client.SendAsync(Json(HttpMethod.Post, "/v1/accounts", raw));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Test]
    public async Task CreateAccount_WhenUnauthenticated_ShouldReturn401Problem()
    {
        using var client = Anonymous();
        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody());
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task AnyEndpoint_WhenTokenIsForgedOrExpired_ShouldReturn401()
    {
        using var forged = Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", PartnerAccounts.Api.Auth.Authentication.CreateToken(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Auth:SigningKey"] = "another-signing-key-0123456789abcdef012345",
            }).Build(), NewEmail(), false, TimeSpan.FromMinutes(5)));
        using var response = await forged.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task GetAccount_WhenCallerIsNotAMember_ShouldReturn404WithoutRevealingIt()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var existing = await stranger.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        using var missing = await stranger.GetAsync(new Uri($"/v1/accounts/{Guid.NewGuid()}", UriKind.Relative));

        var a = await AssertProblemAsync(existing, HttpStatusCode.NotFound, "account_not_found");
        var b = await AssertProblemAsync(missing, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(a["detail"]!.GetValue<string>(), Is.EqualTo(b["detail"]!.GetValue<string>()));
    }

    [Test]
    public async Task GetAccount_WhenIdIsMalformed_ShouldReturn400NamingThePathParameter()
    {
        using var client = As(NewEmail());
        using var response = await client.GetAsync(new Uri("/v1/accounts/not-a-guid", UriKind.Relative));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Does.Contain("accountId"));
    }

    [Test]
    public async Task GetAccount_WhenCallerIsOperator_ShouldSeeAnyAccount()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        using var response = await op.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ListMyAccounts_WhenMoreThanOnePage_ShouldPageWithTokenAndLinkHeader()
    {
        using var client = As(NewEmail());
        for (var i = 0; i < 3; i++)
        {
            await CreateAccountAsync(client, $"Paged {i}");
        }

        using var first = await client.GetAsync(new Uri("/v1/me/accounts?limit=2", UriKind.Relative));
        var page1 = (await ReadJsonAsync(first)).AsObject();
        var token = page1["continuationToken"]!.GetValue<string>();
        Assert.That(page1["items"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(first.Headers.GetValues("Link").Single(), Does.Contain("rel=\"next\"").And.Contain("limit=2"));

        using var second = await client.GetAsync(new Uri($"/v1/me/accounts?limit=2&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));
        var page2 = (await ReadJsonAsync(second)).AsObject();
        Assert.That(page2["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(page2["continuationToken"], Is.Null);
        Assert.That(second.Headers.Contains("Link"), Is.False);

        var names = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(i => i!["legalName"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(new[] { "Paged 0", "Paged 1", "Paged 2" }));
    }

    [TestCase("0")]
    [TestCase("201")]
    [TestCase("abc")]
    public async Task ListMyAccounts_WhenLimitIsOutOfRange_ShouldReturn400(string limit)
    {
        using var client = As(NewEmail());
        using var response = await client.GetAsync(new Uri($"/v1/me/accounts?limit={limit}", UriKind.Relative));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, limit == "abc" ? "malformed_request" : "validation_failed");
        Assert.That(FieldErrors(problem).Single(), Does.EndWith("limit"));
    }

    [Test]
    public async Task ListMyAccounts_WhenTokenIsForgedOrSomeoneElses_ShouldReturn400()
    {
        using var owner = As(NewEmail());
        for (var i = 0; i < 2; i++)
        {
            await CreateAccountAsync(owner);
        }

        var token = (await owner.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/me/accounts?limit=1"))!["continuationToken"]!.GetValue<string>();
        using var other = As(NewEmail());

        using var foreign = await other.GetAsync(new Uri($"/v1/me/accounts?limit=1&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));
        using var forged = await owner.GetAsync(new Uri("/v1/me/accounts?continuationToken=AAAAbogus", UriKind.Relative));

        await AssertProblemAsync(foreign, HttpStatusCode.BadRequest, "invalid_continuation_token");
        await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }
}
