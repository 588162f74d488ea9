using System.Net;
using System.Text;
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
}
