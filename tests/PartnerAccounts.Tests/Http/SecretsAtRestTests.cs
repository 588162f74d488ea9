using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.DataProtection;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// No secret rests in the clear: after every secret-creating flow (with Idempotency-Key, so replay copies exist) every column
/// of every row of every table is scanned for each secret, plain and in obvious encodings. Replays are authorized again and
/// repeat a secret only while it is valid. The Data Protection key ring in the database is encrypted with a key outside it.
/// </summary>
public sealed class SecretsAtRestTests : ApiTest
{
    [Test]
    public async Task EveryTable_AfterEverySecretCreatingFlowWithIdempotencyKeys_ShouldHoldNoSecretInTheClear()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var secrets = new Dictionary<string, string>();

        using (var key = await PostAsync(admin, $"/v1/accounts/{accountId}/api-keys", new { name = "scan" }, "scan-key-1"))
        {
            secrets["API key"] = (await ReadJsonAsync(key))["secret"]!.GetValue<string>();
        }

        var email = NewEmail("scanned");
        Guid userId;
        using (var invite = await PostAsync(admin, $"/v1/accounts/{accountId}/users", new { email, roles = new[] { "sales-agent" } }, "scan-invite-1"))
        {
            var body = await ReadJsonAsync(invite);
            secrets["invite temporary password"] = body["temporaryPassword"]!.GetValue<string>();
            userId = body["user"]!["id"]!.GetValue<Guid>();
        }

        const string chosen = "scanned-Password-123";
        secrets["chosen password"] = chosen;
        await IdentityModelTests.ChangeTemporaryPasswordAsync(email, secrets["invite temporary password"], chosen);
        using (var reset = await PostAsync(admin, $"/v1/accounts/{accountId}/users/{userId}/password-resets", null, "scan-reset-1"))
        {
            secrets["reset temporary password"] = (await ReadJsonAsync(reset))["temporaryPassword"]!.GetValue<string>();
        }

        var (_, token) = await SignInAsync(email, secrets["reset temporary password"]);
        secrets["access token"] = token["accessToken"]!.GetValue<string>();

        var (tables, rows, findings) = await ScanDatabaseAsync(secrets);

        Assert.Multiple(() =>
        {
            Assert.That(tables, Does.Contain("IdempotencyRecords").And.Contain("Users").And.Contain("DataProtectionKeys").And.Contain("AuditRecords"));
            Assert.That(rows, Is.GreaterThan(10), "the scan read rows");
            Assert.That(findings, Is.Empty, "secrets at rest");
        });
    }

    [Test]
    public void Scan_WhenASecretIsStoredPlainLowerCasedBase64OrHex_ShouldFindIt()
    {
        var secrets = new Dictionary<string, string> { ["s"] = "Pak_Secret-Value42" };
        foreach (var stored in new[]
        {
            "x Pak_Secret-Value42 y", "pak_secret-value42", Convert.ToBase64String(Encoding.UTF8.GetBytes("Pak_Secret-Value42")),
            Convert.ToHexString(Encoding.UTF8.GetBytes("Pak_Secret-Value42")).ToLowerInvariant(),
        })
        {
            Assert.That(Leaks(stored, secrets), Is.Not.Empty, stored);
        }

        Assert.That(Leaks("nothing here", secrets), Is.Empty);
    }

    [Test]
    public async Task Replay_WhenTheCallerWasRemovedFromTheAccountSince_ShouldBeAuthorizedAgainAndRefused()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, memberId, _) = await NewMemberAsync(admin, accountId, "global-admin");
        using (var first = await PostAsync(member, $"/v1/accounts/{accountId}/api-keys", new { name = "replayed" }, "removed-1"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var remove = await admin.SendAsync(Json(HttpMethod.Delete, $"/v1/accounts/{accountId}/users/{memberId}", null, "*")))
        {
            Assert.That(remove.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await remove.Content.ReadAsStringAsync());
        }

        using var replay = await PostAsync(member, $"/v1/accounts/{accountId}/api-keys", new { name = "replayed" }, "removed-1");

        await AssertProblemAsync(replay, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task Replay_WhenTheApiKeyIsValid_ShouldRepeatTheSecretAndOnceRevokedAnswerWithoutIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var uri = $"/v1/accounts/{accountId}/api-keys";
        using var first = await PostAsync(admin, uri, new { name = "revoked-later" }, "revoke-1");
        var created = await ReadJsonAsync(first);
        using var whileValid = await PostAsync(admin, uri, new { name = "revoked-later" }, "revoke-1");
        var repeated = await ReadJsonAsync(whileValid);
        Assert.That(repeated["secret"]!.GetValue<string>(), Is.EqualTo(created["secret"]!.GetValue<string>()));
        Assert.That(whileValid.Headers.Contains("Idempotent-Secret-Withheld"), Is.False);

        using (var revoke = await admin.DeleteAsync($"{uri}/{created["id"]}"))
        {
            Assert.That(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
        }

        using var afterRevoke = await PostAsync(admin, uri, new { name = "revoked-later" }, "revoke-1");
        var withheld = (await ReadJsonAsync(afterRevoke)).AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(afterRevoke.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(afterRevoke.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(afterRevoke.Headers.GetValues("Idempotent-Secret-Withheld"), Is.EqualTo(new[] { "true" }));
            Assert.That(withheld.ContainsKey("secret"), Is.False, withheld.ToJsonString());
            Assert.That(withheld["id"]!.GetValue<Guid>(), Is.EqualTo(created["id"]!.GetValue<Guid>()));
        });
    }

    [Test]
    public async Task Replay_WhenTheTemporaryPasswordWasUsed_ShouldAnswerWithoutIt()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("used");
        var uri = $"/v1/accounts/{accountId}/users";
        using var first = await PostAsync(admin, uri, new { email, roles = new[] { "sales-agent" } }, "used-1");
        var temporary = (await ReadJsonAsync(first))["temporaryPassword"]!.GetValue<string>();
        using (var beforeUse = await PostAsync(admin, uri, new { email, roles = new[] { "sales-agent" } }, "used-1"))
        {
            Assert.That((await ReadJsonAsync(beforeUse))["temporaryPassword"]!.GetValue<string>(), Is.EqualTo(temporary));
        }

        await SignInAsync(email, temporary);
        using var afterUse = await PostAsync(admin, uri, new { email, roles = new[] { "sales-agent" } }, "used-1");
        var withheld = (await ReadJsonAsync(afterUse)).AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(afterUse.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(afterUse.Headers.GetValues("Idempotent-Secret-Withheld"), Is.EqualTo(new[] { "true" }));
            Assert.That(withheld.ContainsKey("temporaryPassword"), Is.False, withheld.ToJsonString());
            Assert.That(withheld["user"]!["email"]!.GetValue<string>(), Is.EqualTo(email));
        });
    }

    [Test]
    public async Task KeyRing_InTheDatabase_ShouldBeEncryptedAndNotDecryptWithoutTheKeyFile()
    {
        // Make sure the ring has a key: protecting anything creates one.
        Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ring-test").Protect("x");
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();
        Assert.That(rows, Is.Not.Empty);

        var wrongKey = new ServiceCollection().AddSingleton(new KeyFileKeys(RandomNumberGenerator.GetBytes(KeyFileKeys.KeyBytes), [])).BuildServiceProvider();
        foreach (var xml in rows)
        {
            var encrypted = XElement.Parse(xml!).Descendants("encryptedKey").SingleOrDefault();
            Assert.That(encrypted, Is.Not.Null, "every ring key is stored encrypted");
            Assert.That(xml, Does.Not.Contain("<masterKey"), "no master key in the clear");
            Assert.Throws<CryptographicException>(() => new KeyFileXmlDecryptor(wrongKey).Decrypt(encrypted!), "another key file does not decrypt it");
            var decrypted = new KeyFileXmlDecryptor(Factory.Services).Decrypt(encrypted!);
            Assert.That(decrypted.ToString(), Does.Contain("masterKey"), "the configured key file does");
        }
    }

    // The start-up refuses as a process does: one line on stderr and the start-up validation's exit code (3).
    [Test]
    public async Task Start_InProductionWithoutACertificateOrKeyFile_ShouldRefuseWithOneClearMessage()
    {
        var (exitCode, _, stderr) = await StartInProductionAsync(keyFile: null);

        Assert.That(exitCode, Is.EqualTo(3), stderr);
        Assert.That(stderr, Does.Contain("Data Protection key ring must be protected at rest").And.Contain("DataProtection:KeyFile"));
    }

    [Test]
    public async Task Start_InProductionWithAKeyFileThatDoesNotExist_ShouldRefuse()
    {
        var (exitCode, _, stderr) = await StartInProductionAsync(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.key"));

        Assert.That(exitCode, Is.EqualTo(3), stderr);
        Assert.That(stderr, Does.Contain("does not exist"));
    }

    private static Task<(int ExitCode, string StandardOutput, string StandardError)> StartInProductionAsync(string? keyFile) =>
        Durability.ApiProcess.RunToExitAsync(
            Path.Combine(Path.GetTempPath(), $"partneraccounts-production-{Guid.NewGuid():N}.db"),
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["DataProtection__KeyFile"] = keyFile,
                ["Logging__LogLevel__Default"] = "None",
            },
            TimeSpan.FromSeconds(120));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string uri, object? body, string key)
    {
        using var request = Json(HttpMethod.Post, uri, body);
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        return response;
    }

    /// <summary>Reads every column of every row of every table in the database (the catalog's list, not the EF model's).</summary>
    private static async Task<(List<string> Tables, int Rows, List<string> Findings)> ScanDatabaseAsync(Dictionary<string, string> secrets)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = db.Database.IsNpgsql()
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = 0;
        var findings = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = TextOf(reader, i);
                    findings.AddRange(Leaks(text, secrets).Select(s => $"{s} in {table}.{reader.GetName(i)}"));
                }
            }
        }

        return (tables, rows, findings);
    }

    private static string TextOf(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? string.Empty : reader.GetValue(ordinal) switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes) + " " + Encoding.Latin1.GetString(bytes),
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>The secrets that <paramref name="text"/> contains: plain in any letter case, base64 (standard or URL-safe), hex.</summary>
    private static List<string> Leaks(string text, Dictionary<string, string> secrets) =>
        [.. secrets.Where(s => Forms(s.Value).Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase))).Select(s => s.Key)];

    private static IEnumerable<string> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = Convert.ToBase64String(bytes).TrimEnd('=');
        yield return secret;
        yield return base64;
        yield return base64.Replace('+', '-').Replace('/', '_');
        yield return Convert.ToHexString(bytes);
    }
}
