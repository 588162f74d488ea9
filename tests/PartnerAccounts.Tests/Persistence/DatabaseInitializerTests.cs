using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Infrastructure;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Tests.Persistence;

/// <summary>Start-up migration of a database another build migrated: one clear line, nothing half-applied.</summary>
public sealed class DatabaseInitializerTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("pa-migrate-").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task TryMigrate_WhenTheDatabaseHasAMigrationThisBuildLacks_ShouldRefuseWithOneLineAndCreateNoTable()
    {
        var path = Path.Combine(_folder, "old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsHistory" VALUES ('20261124214129_InitialCreate', '10.0.0');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var services = Services(path);
        var error = new StringWriter();

        var migrated = await DatabaseInitializer.TryMigrateAsync(services, error);

        Assert.Multiple(() =>
        {
            Assert.That(migrated, Is.False);
            Assert.That(error.ToString().TrimEnd(), Does.StartWith("PartnerAccounts cannot start: the database was migrated by another build")
                .And.Contain("20261124214129_InitialCreate").And.Not.Contain("\n"));
            Assert.That(Tables(path), Is.EqualTo(new[] { "__EFMigrationsHistory" }), "nothing was applied");
        });
    }

    [Test]
    public async Task TryMigrate_WhenTheDatabaseIsNew_ShouldApplyTheOneMigrationOfTheProvider()
    {
        var path = Path.Combine(_folder, "new.db");
        await using var services = Services(path);

        Assert.That(await DatabaseInitializer.TryMigrateAsync(services, TextWriter.Null), Is.True);
        Assert.That(Tables(path), Does.Contain("Accounts").And.Contain("__EFMigrationsHistory"));
    }

    private static ServiceProvider Services(string path) => new ServiceCollection().AddLogging()
        .AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:PartnerAccounts"] = $"Data Source={path}",
        }).Build())
        .BuildServiceProvider();

    private static List<string> Tables(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
