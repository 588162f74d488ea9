using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Http;

namespace PartnerAccounts.Tests.Contract;

/// <summary>
/// The committed openapi/v1.json may grow, but must not break clients generated from the last release of v1, kept in
/// openapi/releases/v1.&lt;minor&gt;.&lt;patch&gt;.json. A breaking change belongs in /v2; when a v1 release ships, copy
/// openapi/v1.json to the next openapi/releases/v1.x.y.json.
/// </summary>
public sealed class BreakingChangeTests
{
    [Test]
    public void CommittedDocument_ComparedWithTheLastV1Release_ShouldNotBreakGeneratedClients()
    {
        var root = OpenApiDocumentTests.RepositoryRoot();
        var release = LatestRelease(Path.Combine(root, "openapi", "releases"), major: 1);
        var previous = JsonNode.Parse(File.ReadAllText(release.FullName))!;
        var current = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "openapi", "v1.json")))!;

        var changes = OpenApiComparer.BreakingChanges(previous, current);

        Assert.That(changes, Is.Empty, $"openapi/v1.json breaks clients of {release.Name}:\n  " + string.Join("\n  ", changes));
    }

    [Test]
    public void LatestRelease_ShouldCompareVersionsAsNumbers()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            foreach (var name in new[] { "v1.2.0.json", "v1.10.0.json", "v1.9.3.json", "v2.0.0.json", "notes.md" })
            {
                File.WriteAllText(Path.Combine(folder.FullName, name), "{}");
            }

            Assert.That(LatestRelease(folder.FullName, major: 1).Name, Is.EqualTo("v1.10.0.json"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static FileInfo LatestRelease(string folder, int major)
    {
        var releases = new DirectoryInfo(folder).GetFiles($"v{major}.*.json")
            .Select(f => (File: f, Version: Version.TryParse(Path.GetFileNameWithoutExtension(f.Name)[1..], out var v) ? v : null))
            .Where(r => r.Version is not null)
            .OrderBy(r => r.Version)
            .ToList();
        Assert.That(releases, Is.Not.Empty, $"no v{major} release document in {folder}");
        return releases[^1].File;
    }
}
