using System.Net;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class OpenApiDocumentTests : ApiTest
{
    private static string CommittedPath => Path.Combine(RepositoryRoot(), "openapi", "v1.json");

    [Test]
    public async Task CommittedDocument_ShouldEqualWhatTheServiceServes()
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath));

        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "openapi/v1.json differs from the document the service serves: run scripts/update-openapi.sh and commit the result.");
    }

    [Test]
    public async Task CommittedDocument_ShouldGiveEveryOperationAnIdSummaryAndTag()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();

        Assert.That(operations, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in operations)
            {
                Assert.That(operation["operationId"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
                Assert.That(operation["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
                Assert.That(operation["tags"]?.AsArray(), Is.Not.Null.And.Not.Empty, name);
            }
        });
        Assert.That(operations.Select(o => o.Operation["operationId"]!.GetValue<string>()), Is.Unique);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PartnerAccounts.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("PartnerAccounts.sln not found above the test directory.");
    }
}
