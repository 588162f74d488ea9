using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PartnerAccounts.Tests.Durability;

namespace PartnerAccounts.Tests.Operations;

/// <summary>
/// What an operator does with the built service as a process of its own: starts it misconfigured, with JSON logs, from
/// another working directory, runs <c>migrate</c> and <c>create-admin</c> and signs in with what it printed.
/// </summary>
[Category("OutOfProcess")]
[NonParallelizable]
public sealed class ProcessOperationsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly List<string> _files = [];

    [TearDown]
    public void DeleteFiles()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in _files)
        {
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    [Test]
    public async Task Start_WhenProductionHasNeitherAuthorityNorSigningKey_ShouldExitWithOneClearLine()
    {
        var (exitCode, stdout, stderr) = await ApiProcess.RunToExitAsync(NewDatabaseFile(), Production(signingKey: null), Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(Lines(stderr), Has.Count.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("PartnerAccounts cannot start: ").And.Contain("Auth:Authority").And.Contain("Auth:SigningKey"));
            Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [TestCase("DataProtection__KeyFile", "", "DataProtection:KeyFile")]
    [TestCase("Database__Provider", "Oracle", "Database:Provider")]
    [TestCase("Caching__MaxAgeSeconds", "0", "Caching:MaxAgeSeconds")]
    [TestCase("MpnVerification__Budgets__HitsPerWindow", "-5", "MpnVerification:Budgets:HitsPerWindow")]
    [TestCase("RateLimits__SignIn__WindowSeconds", "0", "RateLimits:SignIn:WindowSeconds")]
    [TestCase("MpnVerification__CacheCapacity", "-1", "MpnVerification:CacheCapacity")]
    [TestCase("MpnVerification__SnapshotCapacity", "-1", "MpnVerification:SnapshotCapacity")]
    public async Task Start_WhenALimitIsOutOfRange_ShouldExitWithOneLineNamingIt(string variable, string value, string setting)
    {
        var environment = Production(ApiFactoryKey);
        environment[variable] = value;

        var (exitCode, stdout, stderr) = await ApiProcess.RunToExitAsync(NewDatabaseFile(), environment, Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(Lines(stderr), Has.Count.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("PartnerAccounts cannot start: ").And.Contain(setting));
            Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Logs_WhenJsonIsConfigured_ShouldCarryRequestIdCorrelationIdAndTraceId()
    {
        var environment = new Dictionary<string, string?>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        };
        await using var api = await ApiProcess.StartAsync(NewDatabaseFile(), Timeout, environment);
        using var client = api.ClientFor($"logs-{Guid.NewGuid():N}@example.com");
        var correlationId = $"corr-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me/accounts");
        request.Headers.Add("X-Correlation-Id", correlationId);

        using var response = await client.SendAsync(request);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        await Task.Delay(500); // the console logger writes on a background thread

        var lines = api.Lines.Where(l => l.Contains(correlationId, StringComparison.Ordinal)).ToList();
        Assert.That(lines, Is.Not.Empty, api.Output);
        foreach (var line in lines)
        {
            var scopes = JsonNode.Parse(line)!["Scopes"]!.AsArray().OfType<JsonObject>().ToList();
            Assert.Multiple(() =>
            {
                Assert.That(scopes.Any(s => (string?)s["RequestId"] == requestId && (string?)s["CorrelationId"] == correlationId), line);
                Assert.That(scopes.Any(s => s["TraceId"] is JsonValue trace && ((string?)trace)!.Length == 32), line);
            });
        }
    }

    [TestCase("--contentRoot", "no-such-folder")]
    [TestCase("--contentRoot=no-such-folder", null)]
    public async Task Start_WithAContentRootThatIsNoFolder_ShouldExitWithOneLineNamingIt(string option, string? value)
    {
        string[] args = value is null ? [option] : [option, value];
        var (exitCode, stdout, stderr) = await ApiProcess.RunToExitAsync(NewDatabaseFile(), Production(ApiFactoryKey), Timeout, args);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(Lines(stderr), Has.Count.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("PartnerAccounts cannot start: ").And.Contain("no-such-folder").And.Contain("--contentRoot"));
            Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Start_WhenLaunchedFromAnotherDirectory_ShouldReadItsOwnSettingsAndKeepRelativeDataBesideIt()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("partneraccounts-cwd-").FullName;
        var relative = $"data-{Guid.NewGuid():N}/partneraccounts.db";
        var expected = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, relative);
        _files.Add(expected);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__PartnerAccounts"] = $"Data Source={relative}",
            ["Logging__LogLevel__Default"] = "Information", // appsettings.json keeps EF Core's SQL at Warning: only when it is read
        };
        try
        {
            await using var api = await ApiProcess.StartAsync("unused.db", Timeout, environment, workingDirectory);
            using var client = api.ClientFor($"cwd-{Guid.NewGuid():N}@example.com");
            using var response = await client.GetAsync(new Uri("/v1/me/accounts", UriKind.Relative));
            await Task.Delay(500);

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(File.Exists(expected), Is.True, "the relative SQLite file is resolved from the service's folder");
                Assert.That(Directory.EnumerateFileSystemEntries(workingDirectory), Is.Empty, "nothing is written where it was started");
                Assert.That(api.Lines, Has.None.Contains("Executed DbCommand"), "SQL statements are not logged at Information");
            });
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Migrate_WhenTheDatabaseIsEmpty_ShouldApplyTheMigrationsAndExitSoAStartWithoutMigratingIsReady()
    {
        var database = NewDatabaseFile();
        var noMigrations = new Dictionary<string, string?> { ["Database__MigrateOnStartup"] = "false" };

        await using (var before = await ApiProcess.StartAsync(database, Timeout, noMigrations))
        {
            using var probe = new HttpClient { BaseAddress = before.BaseAddress };
            using var pending = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.That(pending.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "pending migrations");
        }

        var (exitCode, stdout, stderr) = await ApiProcess.RunToExitAsync(database, null, Timeout, "migrate");
        Assert.That(exitCode, Is.EqualTo(0), stdout + stderr);

        await using var after = await ApiProcess.StartAsync(database, Timeout, noMigrations);
        using var client = new HttpClient { BaseAddress = after.BaseAddress };
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task CreateAdmin_InProduction_ShouldPrintAOneTimePasswordThatSignsInOnlyToChangeIt_AndAListedOperatorGetsTheScope()
    {
        var database = NewDatabaseFile();
        var email = $"first-admin-{Guid.NewGuid():N}@example.com";
        var environment = Production(ApiFactoryKey);
        environment["Auth__Operators__0"] = email;
        var accountFile = Path.GetTempFileName();
        _files.Add(accountFile);
        await File.WriteAllTextAsync(accountFile, JsonSerializer.Serialize(new
        {
            legalName = "First Operator Ltd",
            address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
            primaryContact = new { firstName = "Ops", lastName = "Person", email },
        }));

        Assert.That((await ApiProcess.RunToExitAsync(database, environment, Timeout, "migrate")).ExitCode, Is.EqualTo(0));
        var (exitCode, stdout, stderr) = await ApiProcess.RunToExitAsync(database, environment, Timeout, "create-admin", "--email", email, "--account", accountFile);
        Assert.That(exitCode, Is.EqualTo(0), stdout + stderr);
        var temporary = Lines(stdout).Last();

        await using var api = await ApiProcess.StartAsync(database, Timeout, environment);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var signIn = await client.PostAsJsonAsync(new Uri("/v1/auth/token", UriKind.Relative), new { email, password = temporary });
        var token = await signIn.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), token?.ToJsonString());
        Assert.That((bool?)token!["passwordChangeRequired"], Is.True);

        const string newPassword = "a-long-new-passphrase-for-ops";
        using var change = new HttpRequestMessage(HttpMethod.Post, "/v1/me/password")
        {
            Content = JsonContent.Create(new { currentPassword = temporary, newPassword }),
        };
        change.Headers.Authorization = new("Bearer", (string)token["accessToken"]!);
        using var changed = await client.SendAsync(change);
        Assert.That(changed.IsSuccessStatusCode, Is.True, await changed.Content.ReadAsStringAsync());

        using var again = await client.PostAsJsonAsync(new Uri("/v1/auth/token", UriKind.Relative), new { email, password = newPassword });
        var operatorToken = (string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
        var payload = operatorToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!;
        Assert.That((string?)claims["scope"], Is.EqualTo("partneraccounts.operator"));
    }

    private const string ApiFactoryKey = Infrastructure.ApiFactory.SigningKey;

    /// <summary>Production as an operator configures it: the Data Protection key file is required there (see SecretsAtRestTests).</summary>
    private static readonly string ProductionKeyFile = CreateKeyFile();

    private static string CreateKeyFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"partneraccounts-ops-{Guid.NewGuid():N}.key");
        File.WriteAllText(file, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return file;
    }

    private static Dictionary<string, string?> Production(string? signingKey) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Auth__SigningKey"] = signingKey,
        ["Auth__Authority"] = null,
        ["DataProtection__KeyFile"] = ProductionKeyFile,
    };

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private string NewDatabaseFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"partneraccounts-ops-{Guid.NewGuid():N}.db");
        _files.Add(file);
        return file;
    }
}
