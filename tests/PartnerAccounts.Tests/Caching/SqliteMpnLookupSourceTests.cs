using Microsoft.Data.Sqlite;
using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Tests.Caching;

/// <summary>The SQLite source of the directory's copy on a database file of its own (the tables and columns the copy reads).</summary>
public sealed class SqliteMpnLookupSourceTests
{
    private static readonly Guid Account = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private string _file = string.Empty;

    [SetUp]
    public void CreateDatabase()
    {
        _file = Path.Combine(Path.GetTempPath(), $"mpn-source-{Guid.NewGuid():N}.db");
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE "Accounts" ("Id" TEXT NOT NULL PRIMARY KEY, "Status" TEXT NOT NULL, "UpdatedAt" TEXT NULL);
            CREATE TABLE "ApiKeys" ("Id" TEXT NOT NULL PRIMARY KEY, "LastUsedAt" TEXT NULL);
            CREATE TABLE "LegalBusinessProfiles" ("AccountId" TEXT NOT NULL PRIMARY KEY, "CompanyName" TEXT NOT NULL);
            CREATE TABLE "Locations" ("Id" TEXT NOT NULL PRIMARY KEY);
            CREATE TABLE "MpnRegistrations" ("MpnId" TEXT NOT NULL PRIMARY KEY, "AccountId" TEXT NOT NULL, "LocationId" TEXT NULL);
            INSERT INTO "Accounts" VALUES ('0193a000-0000-7000-8000-000000000001', 'Active', NULL);
            INSERT INTO "LegalBusinessProfiles" VALUES ('0193a000-0000-7000-8000-000000000001', 'Contoso Ltd');
            INSERT INTO "MpnRegistrations" VALUES ('1000001', '0193a000-0000-7000-8000-000000000001', NULL);
            INSERT INTO "ApiKeys" VALUES ('k1', NULL);
            """);
        foreach (var statement in MpnDirectoryVersion.CreateStatements())
        {
            Execute(statement); // what the migration adds
        }
    }

    [TearDown]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task IsUnchangedSince_ShouldHoldUntilAnotherConnectionCommitsAChangeToTheDirectory()
    {
        using var source = new SqliteMpnLookupSource($"Data Source={_file}");
        var first = (await source.ReadSnapshotAsync(100, 0, null, default))!;
        Assert.That(Name(first), Is.EqualTo("Contoso Ltd"));
        Assert.That(await source.IsUnchangedSinceAsync(first, default), Is.True, "nothing committed since the pass");

        // Writes that change no answer: a key's last use, an account's other columns.
        Execute("""UPDATE "ApiKeys" SET "LastUsedAt" = '2026-12-02T12:00:00Z'""");
        Execute("""UPDATE "Accounts" SET "UpdatedAt" = '2026-12-02T12:00:00Z'""");
        Assert.That(await source.IsUnchangedSinceAsync(first, default), Is.True, "commits that leave the directory as it was");

        // An operator's SQL, outside the service: nobody announces it.
        Execute("""UPDATE "LegalBusinessProfiles" SET "CompanyName" = 'Contoso Renamed Ltd'""");
        Assert.That(await source.IsUnchangedSinceAsync(first, default), Is.False, "a commit by another connection");

        var second = (await source.ReadSnapshotAsync(100, 0, null, default))!;
        Assert.Multiple(async () =>
        {
            Assert.That(Name(second), Is.EqualTo("Contoso Renamed Ltd"));
            Assert.That(await source.IsUnchangedSinceAsync(second, default), Is.True);
            Assert.That(await source.IsUnchangedSinceAsync(first, default), Is.False, "the older copy stays outdated");
        });
    }

    [TestCase("""UPDATE "Accounts" SET "Status" = 'Closed'""")]
    [TestCase("""INSERT INTO "Accounts" VALUES ('0193a000-0000-7000-8000-000000000002', 'Active', NULL)""")]
    [TestCase("""DELETE FROM "LegalBusinessProfiles" """)]
    [TestCase("""INSERT INTO "MpnRegistrations" VALUES ('1000002', '0193a000-0000-7000-8000-000000000001', NULL)""")]
    [TestCase("""UPDATE "MpnRegistrations" SET "LocationId" = 'gone'""")]
    [TestCase("""INSERT INTO "Locations" VALUES ('0193a000-0000-7000-8000-0000000000aa')""")]
    public async Task IsUnchangedSince_AfterAChangeToWhatAVerificationAnswers_ShouldBeFalse(string sql)
    {
        using var source = new SqliteMpnLookupSource($"Data Source={_file}");
        var copy = (await source.ReadSnapshotAsync(100, 0, null, default))!;

        Execute(sql);

        Assert.That(await source.IsUnchangedSinceAsync(copy, default), Is.False);
    }

    private static string? Name(MpnSnapshot copy) =>
        copy.TryFind(MpnDirectory.KeyOf("1000001")!.Value, out var account, out var name) && account == Account ? name : "(not found)";

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
