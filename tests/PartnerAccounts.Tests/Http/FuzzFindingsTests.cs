using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>Focused regression tests for what <see cref="FuzzTests"/> found, so each stays fixed whatever the fuzzer draws.</summary>
public sealed class FuzzFindingsTests : ApiTest
{
    // Found by FUZZ_SEED=1: a JSON body whose Content-Type names a charset the framework cannot decode (unknown, empty, or quoted,
    // which its JSON reader does not unquote) was a 500.
    [TestCase("bogus")]
    [TestCase("")]
    [TestCase("\"utf-16\"")]
    [TestCase("\"utf-8\"x")]
    public async Task CreateLocation_WhenTheCharsetCannotBeDecoded_ShouldReturn415AndStoreNothing(string charset)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/locations")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(
                "{\"name\":\"Branch\",\"address\":{\"addressLine1\":\"1 Main St\",\"city\":\"Seattle\",\"postalCode\":\"98101\",\"country\":\"US\"}}")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var locations = await ReadJsonAsync(await client.GetAsync(new Uri($"/v1/accounts/{accountId}/locations", UriKind.Relative)));
        Assert.That(locations["items"]!.AsArray(), Has.Count.EqualTo(1), "only the headquarters");
    }

    [Test]
    public async Task SignIn_WhenTheCharsetIsUnknown_ShouldReturn415()
    {
        using var client = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/token")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":\"nobody@example.com\",\"password\":\"x\"}")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [TestCase("utf-16")]
    [TestCase("UTF-8")]
    [TestCase("iso-8859-1")]
    public async Task CreateLocation_WhenTheCharsetIsKnown_ShouldReadTheBody(string charset)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/locations")
        {
            Content = new ByteArrayContent(Encoding.GetEncoding(charset).GetBytes(
                "{\"name\":\"Zweigstelle München\",\"address\":{\"addressLine1\":\"1 Main St\",\"city\":\"München\",\"postalCode\":\"80331\",\"country\":\"DE\"}}")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response))["name"]!.GetValue<string>(), Is.EqualTo("Zweigstelle München"));
    }

    // Found by FUZZ_SEED=11 on PostgreSQL: a NUL character in any string was stored by SQLite and a 500 on PostgreSQL.
    [Test]
    public async Task CreateAccount_WhenAStringHoldsANulCharacter_ShouldReturn400NamingTheFieldAndStoreNothing()
    {
        using var client = As(NewEmail());
        const string body = "{\"legalName\":\"Nul Ltd\",\"address\":{\"addressLine1\":\"1 Main St\",\"addressLine2\":\"a\\u0000b\"," +
            "\"city\":\"Seattle\",\"postalCode\":\"98101\",\"country\":\"US\"},\"primaryContact\":{\"firstName\":\"Pat\",\"lastName\":\"Lee\",\"email\":\"pat@example.com\"}}";

        using var response = await client.SendAsync(Json(HttpMethod.Post, "/v1/accounts", body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "address.addressLine2" }));
        var picker = await ReadJsonAsync(await client.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative)));
        Assert.That(picker["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenAStringHoldsANulCharacter_ShouldReturn400AndKeepTheProfile()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = $"/v1/accounts/{accountId}/profiles/support";
        var (before, etag) = await GetWithETagAsync(client, uri);

        using var response = await client.SendAsync(Json(HttpMethod.Put, uri, "{\"email\":\"help\\u0000@example.com\"}", etag));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        var (after, etagAfter) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(before, after), Is.True);
            Assert.That(etagAfter, Is.EqualTo(etag));
        });
    }

    // Found by FUZZ_SEED=11 on PostgreSQL: a (validly signed) token whose email is longer than any stored email could be made the
    // actor of an audit record or a new user, and the write failed in the database with a 500.
    [Test]
    public async Task DecideVerification_WhenTheTokenNamesAnIdentityLongerThanAnEmail_ShouldReturn401AndChangeNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var longOperator = As(new string('a', 250) + "@example.com", isOperator: true);

        using var response = await longOperator.PostAsJsonAsync($"/v1/accounts/{accountId}/verification/decisions", new { status = "inReview" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        var verification = await ReadJsonAsync(await admin.GetAsync(new Uri($"/v1/accounts/{accountId}/verification", UriKind.Relative)));
        Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo("pending"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("tab\there@example.com")]
    public async Task CreateAccount_WhenTheTokenNamesNoUsableIdentity_ShouldReturn401(string email)
    {
        using var client = As(email);

        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody());

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task AnyEndpoint_WhenTheTokenNamesAnIdentityOfExactlyTheEmailLimit_ShouldServeIt()
    {
        var email = "userabc@" + string.Join('.', new string('b', 60), new string('c', 60), new string('d', 60), new string('e', 60)) + ".co";
        Assert.That(email, Has.Length.EqualTo(FieldLimits.Email));
        using var client = As(email);

        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    // Found by FUZZ_SEED=12: with an Accept header that names no JSON type, the framework's own 404/405 answers were plain text.
    [TestCase("../../../../etc/passwd")]
    [TestCase("text/html")]
    [TestCase("application/xml")]
    public async Task UnknownRoute_WhenTheCallerAcceptsNoJson_ShouldStillAnswerAProblem(string accept)
    {
        using var client = As(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing-here");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
        Assert.That(problem["requestId"]?.GetValue<string>(), Is.EqualTo(response.Headers.GetValues("X-Request-Id").Single()));
    }

    [Test]
    public async Task WrongMethod_WhenTheCallerAcceptsNoJson_ShouldStillAnswerAProblem()
    {
        using var client = As(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/v1/me/accounts");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}
