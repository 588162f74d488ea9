using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Tests.Persistence;

/// <summary>Each provider has its own migration set; both must cover the whole model and stay in step with each other.</summary>
public sealed partial class MigrationsTests
{
    private static SqliteAppDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static PostgresAppDbContext Postgres() =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);

    [Test]
    public void SqliteMigrations_ShouldContainEveryModelChange()
    {
        using var db = Sqlite();
        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            "the model has changes the SQLite migrations lack: dotnet ef migrations add <Name> --context SqliteAppDbContext ...");
    }

    [Test]
    public void PostgresMigrations_ShouldContainEveryModelChange()
    {
        using var db = Postgres();
        Assert.That(db.Database.HasPendingModelChanges(), Is.False,
            "the model has changes the PostgreSQL migrations lack: dotnet ef migrations add <Name> --context PostgresAppDbContext ...");
    }

    /// <summary>
    /// The service's SQLite contexts are pooled and handed the scope's open connection (SetDbConnection), which skips EF Core's
    /// registration of its decimal SQL functions (ef_add, ef_compare ...): a decimal in the model would fail at run time.
    /// </summary>
    [Test]
    public void Model_ShouldHoldNoDecimal_BecausePooledSqliteContextsHaveNoDecimalFunctions()
    {
        using var db = Sqlite();
        var decimals = db.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
            .Where(p => Nullable.GetUnderlyingType(p.ClrType) == typeof(decimal) || p.ClrType == typeof(decimal))
            .Select(p => $"{p.DeclaringType.DisplayName()}.{p.Name}");
        Assert.That(decimals, Is.Empty);
    }

    [Test]
    public void MigrationSets_ShouldHaveTheSameMigrationsInTheSameOrder()
    {
        using var sqlite = Sqlite();
        using var postgres = Postgres();

        Assert.That(Names(postgres.Database.GetMigrations()), Is.EqualTo(Names(sqlite.Database.GetMigrations())));
        Assert.That(sqlite.Database.GetMigrations(), Is.Not.Empty);
    }

    /// <summary>"20261124214129_InitialCreate" -> "InitialCreate": the timestamps differ by provider, the names must not.</summary>
    private static List<string> Names(IEnumerable<string> migrations) => [.. migrations.Select(m => Timestamp().Replace(m, string.Empty))];

    [GeneratedRegex("^[0-9]{14}_")]
    private static partial Regex Timestamp();
}
