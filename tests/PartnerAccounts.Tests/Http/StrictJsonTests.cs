using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// The service's own JSON options refuse duplicate and unknown properties at every depth, arrays of objects included, and
/// <see cref="StrictJson.CodeOf"/> tells the two apart: this pins the serializer behaviour the HTTP tests rely on.
/// </summary>
public sealed class StrictJsonTests : ApiTest
{
    public sealed record Line(string? Sku, int Quantity);

    public sealed record Order(string? Name, Line? First, IReadOnlyList<Line>? Lines);

    private static JsonSerializerOptions ServiceOptions =>
        Factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    [TestCase("""{"name":"a","name":"b"}""", "duplicate_property", "$.name")]
    [TestCase("""{"name":"a","NAME":"b"}""", "duplicate_property", "$.NAME")]
    [TestCase("""{"first":{"sku":"a","Sku":"b"}}""", "duplicate_property", "$.first.Sku")]
    [TestCase("""{"lines":[{"sku":"a"},{"sku":"a","quantity":1,"Quantity":2}]}""", "duplicate_property", "$.lines[1].Quantity")]
    [TestCase("""{"name":"a","extra":1}""", "unknown_property", "$.extra")]
    [TestCase("""{"first":{"sku":"a","price":1}}""", "unknown_property", "$.first.price")]
    [TestCase("""{"lines":[{"sku":"a"},{"sku":"b","price":2}]}""", "unknown_property", "$.lines[1].price")]
    [TestCase("""{"name":5}""", "malformed_request", "$.name")]
    public void Deserialize_WithTheServiceOptions_ShouldRefuseWithTheCodeAndPath(string json, string code, string path)
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Order>(json, ServiceOptions))!;

        Assert.Multiple(() =>
        {
            Assert.That(StrictJson.CodeOf(refused), Is.EqualTo(code), refused.Message);
            Assert.That(refused.Path, Is.EqualTo(path));
        });
    }

    [Test]
    public void Deserialize_WithTheServiceOptions_ShouldAcceptEachPropertyOnceInAnyLetterCase()
    {
        var order = JsonSerializer.Deserialize<Order>("""{"NAME":"a","first":{"SKU":"x","quantity":2},"lines":[{"sku":"y","quantity":1}]}""", ServiceOptions)!;

        Assert.That(order, Is.EqualTo(new Order("a", new Line("x", 2), order.Lines)));
        Assert.That(order.Lines, Is.EqualTo(new[] { new Line("y", 1) }));
    }

    private static IfMatch IfMatchOf(params string[] headers)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.IfMatch = headers;
        return ETags.IfMatchOf(http.Request);
    }

    [TestCase(new[] { "\"2\", \"3\"" }, 3, true)]
    [TestCase(new[] { "\"2\", \"3\"" }, 2, true)]
    [TestCase(new[] { "\"2\", \"3\"" }, 4, false)]
    [TestCase(new[] { "\"2\"", "\"3\"" }, 3, true)]
    [TestCase(new[] { "W/\"3\"" }, 3, false)]
    [TestCase(new[] { "W/\"3\", \"4\"" }, 4, true)]
    [TestCase(new[] { "*" }, 17, true)]
    [TestCase(new[] { "\"abc\", \"3\"" }, 3, true)]
    [TestCase(new[] { "garbage" }, 1, false)]
    [TestCase(new[] { "\"\"" }, 0, false)]
    [TestCase(new[] { "\"99999999999999999999\"" }, 1, false)]
    public void IfMatchOf_WhenTheHeaderListsTags_ShouldMatchIfAnyStrongTagIsCurrent(string[] headers, int current, bool matches)
    {
        var ifMatch = IfMatchOf(headers);

        Assert.That(ifMatch.Check(current), matches ? Is.Null : Has.Property("Code").EqualTo("etag_mismatch"));
    }

    [TestCase]
    [TestCase("")]
    [TestCase("  ")]
    public void IfMatchOf_WhenTheHeaderIsAbsentOrBlank_ShouldRequireIt(params string[] headers)
    {
        Assert.That(IfMatchOf(headers).Check(1), Has.Property("Code").EqualTo("if_match_required"));
    }
}
