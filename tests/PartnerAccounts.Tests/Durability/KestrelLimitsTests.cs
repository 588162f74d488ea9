using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PartnerAccounts.Tests.Durability;

/// <summary>
/// The limits only real Kestrel enforces (the in-process TestServer has no header or request-line limits): the API runs
/// as a process of its own, as in production, and is sent oversized headers, request lines and bodies.
/// </summary>
[Category("OutOfProcess")]
[NonParallelizable]
public sealed class KestrelLimitsTests
{
    private string _databaseFile = null!;
    private ApiProcess? _api;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _databaseFile = Path.Combine(Path.GetTempPath(), $"partneraccounts-kestrel-{Guid.NewGuid():N}.db");
        _api = await ApiProcess.StartAsync(_databaseFile, TimeSpan.FromSeconds(120)); // start-up on a shared 2-core machine
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task AnyRequest_WhenOneHeaderIsLargerThanTheHeaderLimit_ShouldReturn431()
    {
        using var client = _api!.ClientFor(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40 * 1024));

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    public async Task AnyRequest_WhenAllHeadersTogetherExceedTheLimit_ShouldReturn431()
    {
        using var client = _api!.ClientFor(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        for (var i = 0; i < 40; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Padding-{i}", new string('b', 1024));
        }

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    public async Task AnyRequest_WhenTheRequestLineIsLongerThan8KiB_ShouldReturn414()
    {
        using var client = _api!.ClientFor(NewEmail());
        using var response = await client.GetAsync(new Uri("/v1/me/accounts?continuationToken=" + new string('c', 9 * 1024), UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
    }

    [TestCase(true, TestName = "CreateAccount_WhenAnOver1MiBBodyDeclaresItsLength_ShouldReturn413Problem")]
    [TestCase(false, TestName = "CreateAccount_WhenAnOver1MiBBodyIsChunked_ShouldReturn413Problem")]
    public async Task CreateAccount_WhenTheBodyIsOver1MiB_ShouldReturn413Problem(bool declaresLength)
    {
        using var client = _api!.ClientFor(NewEmail());
        var raw = Encoding.UTF8.GetBytes("{\"legalName\": \"" + new string('a', (1024 * 1024) + 10) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts")
        {
            Content = declaresLength ? new ByteArrayContent(raw) : new StreamContent(new UnknownLengthStream(raw)),
        };
        request.Content.Headers.ContentType = new("application/json");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonNode.Parse(text)!["code"]!.GetValue<string>(), Is.EqualTo("payload_too_large"));
    }

    [Test]
    public async Task AnyResponse_FromKestrel_ShouldCarryTheSecurityHeadersAndNoServerHeader()
    {
        using var client = _api!.ClientFor(NewEmail());
        using var created = await client.PostAsJsonAsync("/v1/accounts", new
        {
            legalName = "Kestrel Headers Ltd",
            address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
            primaryContact = new { firstName = "Pat", lastName = "Lee", email = "pat@fabrikam.example" },
        });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(created.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(created.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
            Assert.That(created.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
            Assert.That(created.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(created.Headers.Contains("Server"), Is.False);
            Assert.That(created.Headers.Contains("Strict-Transport-Security"), Is.False, "plain HTTP in Testing");
        });
    }

    private static string NewEmail() => $"kestrel-{Guid.NewGuid():N}@example.com";

    /// <summary>A body without Content-Length, so it is sent chunked and Kestrel's own body limit has to stop it.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
