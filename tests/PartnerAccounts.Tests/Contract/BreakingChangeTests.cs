using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Http;

namespace PartnerAccounts.Tests.Contract;

/// <summary>
/// The committed openapi/v1.json may grow, but must not break clients generated from any release of v1, each kept in
/// openapi/releases/v1.&lt;minor&gt;.&lt;patch&gt;.json from the day it ships (openapi/releases/README.md). Before the first
/// release there is nothing to compare with; <see cref="OpenApiComparerTests"/> keeps the comparer able to fail meanwhile.
/// </summary>
public sealed class BreakingChangeTests
{
    private static string Root => OpenApiDocumentTests.RepositoryRoot();

    private static JsonNode Committed() => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "openapi", "v1.json")))!;

    [Test]
    public void CommittedDocument_ComparedWithEveryV1Release_ShouldNotBreakGeneratedClients()
    {
        var releases = Releases(Path.Combine(Root, "openapi", "releases"), major: 1);
        if (releases.Count == 0)
        {
            Assert.Ignore("v1 is not released yet: no openapi/releases/v1.*.json to compare with (openapi/releases/README.md).");
        }

        var current = Committed();
        Assert.Multiple(() =>
        {
            foreach (var release in releases)
            {
                var changes = OpenApiComparer.BreakingChanges(JsonNode.Parse(File.ReadAllText(release.FullName))!, current);
                Assert.That(changes, Is.Empty, $"openapi/v1.json breaks clients of {release.Name}:\n  " + string.Join("\n  ", changes));
            }
        });
    }

    [Test]
    public void BreakingChanges_WhenAReleaseHadAnOperationTheCommittedDocumentLacks_ShouldReportIt()
    {
        var release = Committed();
        var current = Committed();
        var path = current["paths"]!.AsObject().First().Key;
        current["paths"]!.AsObject().Remove(path);

        Assert.That(OpenApiComparer.BreakingChanges(release, current), Is.Not.Empty, $"removing {path} must break clients of a release that had it");
        Assert.That(OpenApiComparer.BreakingChanges(release, Committed()), Is.Empty, "the committed document does not break itself");
    }

    [Test]
    public void Releases_ShouldTakeThisMajorVersionOnlyInVersionOrder()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            foreach (var name in new[] { "v1.2.0.json", "v1.10.0.json", "v1.9.3.json", "v2.0.0.json", "v1.x.json", "README.md" })
            {
                File.WriteAllText(Path.Combine(folder.FullName, name), "{}");
            }

            Assert.That(Releases(folder.FullName, major: 1).Select(f => f.Name), Is.EqualTo(new[] { "v1.2.0.json", "v1.9.3.json", "v1.10.0.json" }));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static List<FileInfo> Releases(string folder, int major) =>
        [.. new DirectoryInfo(folder).GetFiles($"v{major}.*.json")
            .Select(f => (File: f, Version: Version.TryParse(Path.GetFileNameWithoutExtension(f.Name)[1..], out var v) ? v : null))
            .Where(r => r.Version is not null)
            .OrderBy(r => r.Version)
            .Select(r => r.File)];
}
