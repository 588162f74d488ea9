using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PartnerAccounts.Tests.Durability;

/// <summary>
/// The built API as a process of its own on a SQLite file whose disk really fails: a small tmpfs that is filled up while the
/// node runs (ENOSPC: SQLITE_FULL), mounted read-only before it starts (EROFS), or a folder that cannot be created. Running
/// as root, file modes stop nothing, so the disk tests mount their own file system; where mounting is not allowed they are
/// skipped with the reason (the same failures on the node's connections are in Http/Operations/SqliteOutageTests.cs).
/// </summary>
[Category("Durability")]
[NonParallelizable]
public sealed class SqliteDiskTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    private string? _mount;

    [TearDown]
    public async Task UnmountAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_mount is not null)
        {
            await RunAsync("umount", _mount);
            Directory.Delete(_mount);
            _mount = null;
        }
    }

    [Test]
    public async Task Writes_WhenTheDiskFillsUpMidRun_ShouldBe503WithRetryAfterWhileReadsWork_AndRecoverWithoutARestart()
    {
        var database = await MountAsync();
        await using var node = await ApiProcess.StartAsync(database, StartTimeout);
        using var admin = node.ClientFor($"full-{Guid.NewGuid():N}@example.com");
        var accountId = await CreateAccountAsync(admin, HttpStatusCode.Created);

        var filler = Path.Combine(_mount!, "filler");
        FillDisk(filler);
        var whileFull = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var create = await admin.PostAsJsonAsync(new Uri("/v1/accounts", UriKind.Relative), AccountBody());
            var body = await create.Content.ReadAsStringAsync();
            whileFull.Add(create.StatusCode);
            if (create.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(JsonNode.Parse(body)!["code"]!.GetValue<string>(), Is.EqualTo("service_unavailable"), body);
                    Assert.That(create.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
                });
            }
        }

        using var read = await admin.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        using var picker = await admin.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
        File.Delete(filler);
        var recovered = await CreateAccountAsync(admin, HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(whileFull, Is.All.EqualTo(HttpStatusCode.ServiceUnavailable), "every write on the full disk: 503, never 500 or 201");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads keep working on the full disk");
            Assert.That(picker.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(recovered, Is.Not.EqualTo(Guid.Empty), "a write succeeds again once there is space, without a restart");
            Assert.That(node.HasExited, Is.False);
        });
    }

    [Test]
    public async Task Start_WhenTheDatabaseIsOnAReadOnlyFileSystem_ShouldPrintOneLineAndExitWithTheStartupCode_OrServeReadsWithoutMigrating()
    {
        var database = await MountAsync();
        var migrate = await ApiProcess.RunToExitAsync(database, null, ExitTimeout, "migrate");
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.StandardOutput + migrate.StandardError);
        await RunAsync("mount", "-o", "remount,ro", _mount!);

        var (exitCode, _, stderr) = await ApiProcess.RunToExitAsync(database, Quiet, ExitTimeout);
        AssertOneLineStartupError(exitCode, stderr);

        // A node that does not migrate serves what needs only reads from the read-only copy, and refuses writes with 503.
        await using var node = await ApiProcess.StartAsync(database, StartTimeout, new Dictionary<string, string?> { ["Database__MigrateOnStartup"] = "false" });
        using var client = node.ClientFor($"reader-{Guid.NewGuid():N}@example.com");
        using var picker = await client.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
        using var create = await client.PostAsJsonAsync(new Uri("/v1/accounts", UriKind.Relative), AccountBody());
        Assert.Multiple(() =>
        {
            Assert.That(picker.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads from the read-only file");
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a write on the read-only file");
            Assert.That(create.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public async Task Start_WhenTheDatabaseFolderCannotBeCreated_ShouldPrintOneLineAndExitWithTheStartupCode()
    {
        // Nobody, root included, can create a folder under /proc: the open fails as on a read-only or missing volume.
        var (exitCode, _, stderr) = await ApiProcess.RunToExitAsync($"/proc/partneraccounts-{Guid.NewGuid():N}/partneraccounts.db", Quiet, ExitTimeout);

        AssertOneLineStartupError(exitCode, stderr);
    }

    private static readonly Dictionary<string, string?> Quiet = new() { ["Logging__LogLevel__Default"] = "None" };

    private static void AssertOneLineStartupError(int exitCode, string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3), stderr);
            Assert.That(lines, Has.Length.EqualTo(1), "one line, no stack trace: " + stderr);
            Assert.That(stderr, Does.StartWith("PartnerAccounts cannot start: the database cannot be reached or written ("));
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    /// <summary>A new 16 MB tmpfs of this test's own; the path of the database file on it.</summary>
    private async Task<string> MountAsync()
    {
        var mount = Path.Combine(Path.GetTempPath(), $"partneraccounts-disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(mount);
        try
        {
            await RunAsync("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Directory.Delete(mount);
            Assert.Ignore($"Mounting a small file system is not allowed here (needs root with CAP_SYS_ADMIN): {ex.Message}");
        }

        _mount = mount;
        return Path.Combine(mount, "partneraccounts.db");
    }

    private static void FillDisk(string path)
    {
        var block = new byte[64 * 1024];
        Random.Shared.NextBytes(block);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full
        }
    }

    private static object AccountBody() => new
    {
        legalName = "Fabrikam " + Guid.NewGuid().ToString("N")[..8],
        address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
        primaryContact = new { firstName = "Pat", lastName = "Lee", email = "pat@fabrikam.example", phoneNumber = "+1 206 555 0100" },
    };

    private static async Task<Guid> CreateAccountAsync(HttpClient admin, HttpStatusCode expected)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/v1/accounts", UriKind.Relative), AccountBody());
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {(await error).Trim()}");
        }
    }
}
