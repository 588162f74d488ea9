using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Security headers on every response, HTTPS redirection and HSTS outside Development and Testing, forwarded headers from
/// trusted proxies only, sign-in throttling, and errors that never show a stack trace or an internal name. Header and
/// request-line limits need real Kestrel: see <c>Durability/KestrelLimitsTests</c>.
/// </summary>
public sealed partial class SecurityTests : ApiTest
{
    private const string PublicHost = "api.partneraccounts.example";

    public static IEnumerable<TestCaseData> Responses()
    {
        yield return new TestCaseData("an authenticated read", HttpMethod.Get, "/v1/me/accounts", null, true, HttpStatusCode.OK);
        yield return new TestCaseData("an unauthenticated call", HttpMethod.Get, "/v1/me/accounts", null, false, HttpStatusCode.Unauthorized);
        yield return new TestCaseData("an unknown route", HttpMethod.Get, "/v1/nothing-here", null, true, HttpStatusCode.NotFound);
        yield return new TestCaseData("a malformed body", HttpMethod.Post, "/v1/accounts", "{", true, HttpStatusCode.BadRequest);
        yield return new TestCaseData("the role catalogue", HttpMethod.Get, "/v1/roles", null, true, HttpStatusCode.OK);
    }

    [TestCaseSource(nameof(Responses))]
    public async Task AnyApiResponse_ShouldCarryTheSecurityHeadersAndNoStore(string what, HttpMethod method, string uri, string? body, bool authenticated, HttpStatusCode status)
    {
        using var client = authenticated ? As(NewEmail()) : Anonymous();
        using var response = await client.SendAsync(Json(method, uri, body));

        Assert.That(response.StatusCode, Is.EqualTo(status), what);
        AssertSecurityHeaders(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, what + ": account data is never stored by caches");
            Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo(SecurityHeadersMiddleware.ApiContentSecurityPolicy));
            Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "no HSTS in Testing");
        });
    }

    [Test]
    public async Task ChangedResource_WhenReadAgainWithItsETag_ShouldAnswer304WithTheSecurityHeaders()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var uri = $"/v1/accounts/{accountId}/profiles/billing";
        var (_, etag) = await GetWithETagAsync(client, uri);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        AssertSecurityHeaders(response);
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task SwaggerUi_ShouldForbidFramingAndSniffing()
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertSecurityHeaders(response);
        Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo(SecurityHeadersMiddleware.SwaggerContentSecurityPolicy));
    }

    [Test]
    public async Task AnyRequest_WhenOutsideDevelopmentOverHttps_ShouldCarryHsts()
    {
        await using var production = ProductionHost();
        using var client = Client(production, "https://" + PublicHost);

        using var response = await client.GetAsync(new Uri("/v1/roles", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "Strict-Transport-Security"), Is.EqualTo("max-age=31536000"));
        AssertSecurityHeaders(response);
    }

    [Test]
    public async Task AnyRequest_WhenOutsideDevelopmentOverHttp_ShouldRedirectToHttpsKeepingTheMethod()
    {
        await using var production = ProductionHost();
        using var client = Client(production, "http://" + PublicHost);

        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TemporaryRedirect));
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri($"https://{PublicHost}/v1/accounts")));
        Assert.That(response.Headers.Contains("X-Request-Id"), Is.True, "redirects carry the request id too");
    }

    [Test]
    public async Task AnyRequest_WhenInTesting_ShouldNotRedirectPlainHttp()
    {
        using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://" + PublicHost) });
        using var response = await client.GetAsync(new Uri("/v1/roles", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("127.0.0.1", null, HttpStatusCode.OK, TestName = "ForwardedProto_WhenSentByALoopbackProxy_ShouldBeTrusted")]
    [TestCase("10.1.2.3", "10.0.0.0/8", HttpStatusCode.OK, TestName = "ForwardedProto_WhenSentFromAConfiguredNetwork_ShouldBeTrusted")]
    [TestCase("203.0.113.7", null, HttpStatusCode.TemporaryRedirect, TestName = "ForwardedProto_WhenSentByAnUnknownAddress_ShouldBeIgnored")]
    [TestCase("203.0.113.7", "10.0.0.0/8", HttpStatusCode.TemporaryRedirect, TestName = "ForwardedProto_WhenSentFromOutsideTheConfiguredNetworks_ShouldBeIgnored")]
    public async Task ForwardedProto_ShouldOnlyBeTrustedFromKnownProxies(string remoteAddress, string? knownNetwork, HttpStatusCode expected)
    {
        await using var production = ProductionHost(builder =>
        {
            builder.UseSetting("ForwardedHeaders:Enabled", "true");
            if (knownNetwork is not null)
            {
                builder.UseSetting("ForwardedHeaders:KnownNetworks:0", knownNetwork);
            }
        });
        var token = Authentication.CreateToken(Factory.Configuration, NewEmail(), isOperator: false, TimeSpan.FromMinutes(5));

        var context = await production.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Scheme = "http";
            http.Request.Host = new HostString(PublicHost);
            http.Request.Path = "/v1/roles";
            http.Request.Headers.Authorization = "Bearer " + token;
            http.Request.Headers["X-Forwarded-Proto"] = "https";
            http.Request.Headers["X-Forwarded-For"] = "198.51.100.20";
            http.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
        });

        Assert.That(context.Response.StatusCode, Is.EqualTo((int)expected));
        if (expected == HttpStatusCode.OK)
        {
            Assert.That(context.Response.Headers.StrictTransportSecurity.ToString(), Is.EqualTo("max-age=31536000"), "the request counts as HTTPS");
            Assert.That(context.Connection.RemoteIpAddress, Is.EqualTo(IPAddress.Parse("198.51.100.20")), "the client address is the forwarded one (the rate limiter partitions by it)");
        }
    }

    [Test]
    public async Task SignIn_WhenCalledMoreOftenThanTheWindowAllows_ShouldReturn429WithRetryAfter()
    {
        // A host of its own, so the shared test host's sign-in budget is left alone.
        await using var throttled = Factory.WithWebHostBuilder(builder => builder
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseSetting("RateLimits:SignIn:PermitLimit", "2")
            .UseSetting("RateLimits:SignIn:WindowSeconds", "60"));
        using var client = throttled.CreateClient();
        var body = new { email = NewEmail("guess"), password = "not-the-password-1" };

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/v1/auth/token", body);
            await AssertProblemAsync(allowed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var refused = await client.PostAsJsonAsync("/v1/auth/token", body);
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
        AssertSecurityHeaders(refused);
    }

    public static IEnumerable<TestCaseData> BadRequests()
    {
        var nested = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            nested.Append("{\"a\":");
        }

        nested.Append('1').Append('}', 200);
        yield return new TestCaseData("malformed JSON", HttpMethod.Post, "/v1/accounts", "{\"legalName\": ", null, true);
        yield return new TestCaseData("a wrong type", HttpMethod.Post, "/v1/accounts", "{\"legalName\": 5}", null, true);
        yield return new TestCaseData("deep nesting", HttpMethod.Post, "/v1/accounts", nested.ToString(), null, true);
        yield return new TestCaseData("an unknown enum value", HttpMethod.Post, "/v1/accounts/00000000-0000-0000-0000-000000000001/verification/decisions", "{\"status\": \"maybe\"}", null, true);
        yield return new TestCaseData("a bad path id", HttpMethod.Get, "/v1/accounts/not-a-guid", null, null, true);
        yield return new TestCaseData("a bad paging limit", HttpMethod.Get, "/v1/me/accounts?limit=100000", null, null, true);
        yield return new TestCaseData("a forged continuation token", HttpMethod.Get, "/v1/me/accounts?continuationToken=AAAA%2F..%2Fetc", null, null, true);
        yield return new TestCaseData("a number too large", HttpMethod.Get, "/v1/me/accounts?limit=99999999999999999999", null, null, true);
        yield return new TestCaseData("a wrong content type", HttpMethod.Post, "/v1/accounts", null, "text/plain", true);
        yield return new TestCaseData("an over-long body", HttpMethod.Post, "/v1/accounts", "{\"legalName\": \"" + new string('a', (1024 * 1024) + 10) + "\"}", null, true);
        yield return new TestCaseData("an unknown route", HttpMethod.Get, "/v1/accounts/00000000-0000-0000-0000-000000000001/nothing", null, null, true);
        yield return new TestCaseData("a wrong method", HttpMethod.Delete, "/v1/roles", null, null, true);
        yield return new TestCaseData("an unknown account", HttpMethod.Get, "/v1/accounts/00000000-0000-0000-0000-000000000001", null, null, true);
        yield return new TestCaseData("a missing If-Match", HttpMethod.Put, "/v1/accounts/00000000-0000-0000-0000-000000000001/profiles/billing", "{}", null, true);
        yield return new TestCaseData("no credentials", HttpMethod.Get, "/v1/me/accounts", null, null, false);
        yield return new TestCaseData("a forged token", HttpMethod.Get, "/v1/me/accounts", null, null, null);
        yield return new TestCaseData("an unsupported version", HttpMethod.Get, "/v2/me/accounts", null, null, true);
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task AnyError_ShouldBeAProblemWithoutStackTracesOrInternalNames(string what, HttpMethod method, string uri, string? body, string? contentType, bool? authenticated)
    {
        using var client = authenticated switch { true => As(NewEmail()), false => Anonymous(), null => Anonymous() };
        if (authenticated is null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFAYi5jIn0.");
        }

        using var request = Json(method, uri, contentType is null ? body : null);
        if (contentType is not null)
        {
            request.Content = new StringContent("legalName=x", Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{what}: {text}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{what}: {text}");
        AssertNoInternals(what, text);
        AssertSecurityHeaders(response);
    }

    [Test]
    public async Task UnexpectedFailure_ShouldBeA500ProblemWithARequestIdAndNoInternals()
    {
        // Not a test-only endpoint: a real endpoint whose clock breaks, so the whole pipeline handles the exception.
        var capture = new LogCapture();
        await using var broken = Factory.WithWebHostBuilder(builder => builder
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(capture))
            .ConfigureTestServices(services => services.AddSingleton<IClock, BrokenClock>()));
        using var client = broken.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, NewEmail(), isOperator: false, TimeSpan.FromMinutes(5)));

        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody());
        var text = await response.Content.ReadAsStringAsync();

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem["requestId"]?.GetValue<string>(), Is.EqualTo(requestId));
            Assert.That(text, Does.Not.Contain(BrokenClock.Message).And.Not.Contain("BrokenClock"));
            Assert.That(
                capture.Lines.Where(l => l.Level == LogLevel.Error && l.Text.Contains(BrokenClock.Message, StringComparison.Ordinal) && l.Text.Contains("RequestId=" + requestId, StringComparison.Ordinal)),
                Is.Not.Empty,
                "the exception is logged, with the request id the caller can quote");
        });
        AssertNoInternals("a 500", text);
        AssertSecurityHeaders(response);
    }

    private static WebApplicationFactory<Program> ProductionHost(Action<IWebHostBuilder>? configure = null) =>
        Factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.UseSetting("https_port", "443");
            builder.UseSetting("DataProtection:KeyFile", PartnerAccounts.Infrastructure.DataProtection.KeyRingProtection.DefaultKeyFile);
            configure?.Invoke(builder);
        });

    private static HttpClient Client(WebApplicationFactory<Program> host, string baseAddress)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, NewEmail(), isOperator: false, TimeSpan.FromMinutes(5)));
        return client;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static void AssertSecurityHeaders(HttpResponseMessage response) => Assert.Multiple(() =>
    {
        Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("DENY"));
        Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("no-referrer"));
        Assert.That(Header(response, "Content-Security-Policy"), Does.Contain("frame-ancestors 'none'"));
        Assert.That(response.Headers.Contains("Server"), Is.False, "the server does not name itself");
    });

    private static void AssertNoInternals(string what, string text)
    {
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(problem["code"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, $"{what}: {text}");
            Assert.That(problem.ContainsKey("exception") || problem.ContainsKey("stackTrace") || problem.ContainsKey("traceId"), Is.False, $"{what}: {text}");
            foreach (var fragment in new[] { "Exception", "PartnerAccounts.", "Microsoft.", "System.", "Npgsql", "SQLite", "Mediator", ".cs", "/src/", "/work/", "\\n   at " })
            {
                Assert.That(text, Does.Not.Contain(fragment), $"{what} shows an internal name ({fragment}): {text}");
            }

            Assert.That(StackFrame().IsMatch(text), Is.False, $"{what} shows a stack frame: {text}");
        });
    }

    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]+\(")]
    private static partial Regex StackFrame();

    private sealed class BrokenClock : IClock
    {
        public const string Message = "clock failure in PartnerAccounts.Infrastructure at /work/src/Infrastructure/Secret.cs";

        public DateTime UtcNow => throw new InvalidOperationException(Message);
    }
}
