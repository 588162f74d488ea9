using System.Net;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class ConventionsTests : ApiTest
{
    [Test]
    public async Task AnyResponse_ShouldCarryARequestId()
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.Not.Empty);
    }

    [Test]
    public async Task AnyResponse_WhenCallerSendsNoRequestId_ShouldCarryANewVersion4Uuid()
    {
        using var client = Anonymous();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(new Uri("/v1/programs", UriKind.Relative));
            ids.Add(response.Headers.GetValues("X-Request-Id").Single());
        }

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            foreach (var id in ids)
            {
                Assert.That(Guid.TryParseExact(id, "D", out var uuid), Is.True, id);
                Assert.That(uuid.Version, Is.EqualTo(4), id);
                Assert.That(uuid.Variant & 0b1100, Is.EqualTo(0b1000), id);
            }
        });
    }

    [TestCase("X-Correlation-Id")]
    [TestCase("MS-CorrelationId")]
    public async Task AnyResponse_WhenCallerSendsACorrelationId_ShouldEchoIt(string header)
    {
        using var client = As(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        request.Headers.Add(header, "corr-123");
        using var response = await client.SendAsync(request);
        Assert.That(response.Headers.GetValues(header).Single(), Is.EqualTo("corr-123"));
    }

    [Test]
    public async Task AnyResponse_WhenCallerSendsAnUnsafeRequestId_ShouldReplaceIt()
    {
        using var client = As(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "<script>");
        using var response = await client.SendAsync(request);
        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.Not.EqualTo("<script>").And.Not.Empty);
    }

    [Test]
    public async Task UnknownRoute_ShouldReturn404Problem()
    {
        using var client = As(NewEmail());
        using var response = await client.GetAsync(new Uri("/v1/nothing-here", UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [TestCase("application/json")]
    [TestCase("text/plain")]
    [TestCase(null)]
    public async Task AnyProblem_WhateverTheCallerAccepts_ShouldBeTheSameProblemSentWithItsLength(string? accept)
    {
        using var client = As(NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing-here");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var problem = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(response.Headers.TransferEncodingChunked, Is.Not.True);
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("not_found"));
            Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("https://partneraccounts.dev/problems/not_found"));
        });
    }

    [Test]
    public async Task UnsupportedVersion_ShouldReturn4xxProblem()
    {
        using var client = As(NewEmail());
        using var response = await client.GetAsync(new Uri("/v2/me/accounts", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.InRange(400, 404));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Swagger_ShouldServeTheV1DocumentAndTheUi()
    {
        using var client = Anonymous();
        using var document = await client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        using var ui = await client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
