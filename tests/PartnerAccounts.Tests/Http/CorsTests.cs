using System.Net;
using Microsoft.Extensions.Configuration;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Browsers as clients. The shared test host allows <see cref="ApiFactory.AllowedOrigin"/> (set in ApiFactory with
/// UseSetting("Cors:AllowedOrigins:0", ...)); every other origin is refused.
/// </summary>
public sealed class CorsTests : ApiTest
{
    private const string RefusedOrigin = "https://evil.example";

    private static HttpRequestMessage Preflight(string origin, string method, string uri, string requestHeaders)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, uri);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", requestHeaders);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string[] List(HttpResponseMessage response, string name) =>
        (Header(response, name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public async Task Preflight_FromAnAllowedOrigin_ShouldAllowTheMethodAndHeadersWithoutCredentials()
    {
        using var client = Anonymous();
        using var request = Preflight(ApiFactory.AllowedOrigin, "PUT", $"/v1/accounts/{Guid.NewGuid()}/profiles/legalbusiness", "authorization,content-type,if-match");

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a preflight is answered before authentication");
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(ApiFactory.AllowedOrigin));
            Assert.That(List(response, "Access-Control-Allow-Methods"), Does.Contain("PUT"));
            Assert.That(List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()),
                Is.SupersetOf(new[] { "authorization", "content-type", "if-match" }));
            Assert.That(Header(response, "Access-Control-Max-Age"), Is.EqualTo("600"));
            Assert.That(Header(response, "Access-Control-Allow-Credentials"), Is.Null, "bearer tokens, not cookies");
        });
    }

    [Test]
    public async Task Preflight_FromAnAllowedOriginForTheApiKeyHeader_ShouldAllowIt()
    {
        using var client = Anonymous();
        using var request = Preflight(ApiFactory.AllowedOrigin, "GET", "/v1/profiles/mpn?mpnId=1234567", "x-api-key");

        using var response = await client.SendAsync(request);

        Assert.That(List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()), Does.Contain("x-api-key"));
    }

    [Test]
    public async Task Preflight_FromARefusedOrigin_ShouldNotAllowIt()
    {
        using var client = Anonymous();
        using var request = Preflight(RefusedOrigin, "PUT", $"/v1/accounts/{Guid.NewGuid()}/profiles/legalbusiness", "authorization,content-type,if-match");

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
            Assert.That(Header(response, "Access-Control-Allow-Methods"), Is.Null);
            Assert.That(Header(response, "Access-Control-Allow-Headers"), Is.Null);
        });
    }

    [Test]
    public async Task Preflight_ForAHeaderThatIsNotAllowed_ShouldNotListIt()
    {
        using var client = Anonymous();
        using var request = Preflight(ApiFactory.AllowedOrigin, "GET", "/v1/me/accounts", "x-something-else");

        using var response = await client.SendAsync(request);

        // The browser compares the requested headers with the allowed ones and refuses the request.
        Assert.That(List(response, "Access-Control-Allow-Headers").Select(h => h.ToLowerInvariant()), Does.Not.Contain("x-something-else"));
    }

    [Test]
    public async Task CrossOriginRequest_FromAnAllowedOrigin_ShouldExposeTheHeadersAFrontendReads()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{accountId}/profiles/legalbusiness");
        request.Headers.Add("Origin", ApiFactory.AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(ApiFactory.AllowedOrigin));
            Assert.That(List(response, "Access-Control-Expose-Headers"),
                Is.SupersetOf(new[] { "ETag", "Location", "X-Request-Id", "Retry-After", "Link" }));
            Assert.That(response.Headers.ETag, Is.Not.Null, "the exposed ETag is really sent");
        });
    }

    [Test]
    public async Task CrossOriginProblem_FromAnAllowedOrigin_ShouldBeReadableByTheFrontend()
    {
        using var client = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        request.Headers.Add("Origin", ApiFactory.AllowedOrigin);

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(ApiFactory.AllowedOrigin));
        Assert.That(List(response, "Access-Control-Expose-Headers"), Does.Contain("X-Request-Id"));
    }

    [Test]
    public async Task CrossOriginRequest_FromARefusedOrigin_ShouldCarryNoCorsHeaders()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{accountId}");
        request.Headers.Add("Origin", RefusedOrigin);

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null, "the browser withholds the response from the page");
            Assert.That(Header(response, "Access-Control-Expose-Headers"), Is.Null);
        });
    }

    [TestCase("*")]
    [TestCase("https://app.example/path")]
    [TestCase("app.example")]
    public void AddPartnerCors_WhenAnOriginIsNotSchemeHostPort_ShouldRefuseToStart(string origin)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(Cors.Section + ":0", origin)]).Build();

        Assert.That(() => new ServiceCollection().AddPartnerCors(configuration), Throws.InvalidOperationException.With.Message.Contains(Cors.Section));
    }
}
