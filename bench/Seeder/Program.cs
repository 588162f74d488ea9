// Seeds a fresh database for the MPN ID verification benchmark, by bulk writes rather than through the API.
//
//   dotnet PartnerAccounts.Bench.Seeder.dll --db PATH --partners N [--api-key-file PATH]
//   dotnet PartnerAccounts.Bench.Seeder.dll --provider postgres --connection CS --partners N [--api-key-file PATH]
//
// The schema comes from the real migrations (AddInfrastructure + DatabaseInitializer, as the service starts), the rows from the
// domain's own factories (BenchPartners), and the statements from the EF Core model (TableMap: table, column names, value
// converters, complex properties), so the data is exactly what the service would have written itself. Only what verification
// reads is seeded (accounts, MPN registrations, locations, legal business profiles), plus one API key whose secret goes to
// --api-key-file.
// SQLite (the default provider): prepared INSERTs in one transaction; the file is built under a temporary name and renamed
// over PATH when complete. PostgreSQL: the database named by the connection string is DROPPED and created again by the
// migrations, then filled by binary COPY in one transaction and analysed.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PartnerAccounts.Bench.Seeder;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Infrastructure;
using PartnerAccounts.Infrastructure.Persistence;

const string Usage = "usage: Seeder [--provider sqlite] --db PATH --partners 1..4000000 [--api-key-file PATH]\n" +
                     "       Seeder --provider postgres --connection CS --partners 1..4000000 [--api-key-file PATH]";

string? dbPath = null, connectionString = null, keyFile = null, provider = "sqlite";
var partners = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--provider" when i + 1 < args.Length && args[i + 1] is "sqlite" or "postgres": provider = args[++i]; break;
        case "--db" when i + 1 < args.Length: dbPath = args[++i]; break;
        case "--connection" when i + 1 < args.Length: connectionString = args[++i]; break;
        case "--partners" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 4_000_000:
            partners = n;
            i++;
            break;
        case "--api-key-file" when i + 1 < args.Length: keyFile = args[++i]; break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

if (partners == 0 || (provider == "sqlite" ? dbPath is null || connectionString is not null : connectionString is null || dbPath is not null))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var clock = Stopwatch.StartNew();
var now = DateTime.UtcNow;
now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));   // PostgreSQL keeps microseconds: the same value on both
var rows = new BenchPartners(partners, now);
var key = ApiKeySecret.Generate();
string target;
if (provider == "sqlite")
{
    target = dbPath = Path.GetFullPath(dbPath!);
    await SeedSqliteAsync(dbPath, rows, key);
}
else
{
    var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
    if (string.IsNullOrEmpty(database) || database is "postgres" or "template0" or "template1")
    {
        Console.Error.WriteLine("Seeder: --connection must name a database of its own (Database=...): it is dropped and created again.");
        return 2;
    }

    target = $"PostgreSQL database {database}";
    await SeedPostgresAsync(connectionString!, rows, key);
}

if (keyFile is not null)
{
    var tmpKey = $"{keyFile}.{Environment.ProcessId}.tmp";
    await File.WriteAllTextAsync(tmpKey, key.Secret + "\n");
    File.Move(tmpKey, keyFile, overwrite: true);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"seeded {partners} partners (MPN IDs {BenchPartners.FirstMpnId}..{rows.LastMpnId}) into {target} in {clock.Elapsed.TotalSeconds:F1} s"));
return 0;

// The service's own registrations and migrations for this provider and connection.
static ServiceProvider Infrastructure(string provider, string connectionString) => new ServiceCollection()
    .AddLogging()
    .AddInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = provider,
        ["ConnectionStrings:PartnerAccounts"] = connectionString,
    }).Build())
    .BuildServiceProvider();

static async Task SeedSqliteAsync(string dbPath, BenchPartners rows, GeneratedApiKey key)
{
    Directory.CreateDirectory(Path.GetDirectoryName(dbPath)!);
    var tmp = $"{dbPath}.{Environment.ProcessId}.tmp";
    DeleteDatabase(tmp);
    await using (var services = Infrastructure("Sqlite", $"Data Source={tmp}"))
    {
        await DatabaseInitializer.MigrateAsync(services);
        SqliteConnection.ClearAllPools();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = tmp, Pooling = false }.ToString());
        await connection.OpenAsync();
        Execute(connection, "PRAGMA synchronous = OFF;");
        await using (var transaction = connection.BeginTransaction())
        {
            await rows.WriteAsync(new SqliteBulkWriter(db, connection, transaction), key);
            transaction.Commit();
        }

        Execute(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
    }

    SqliteConnection.ClearAllPools();
    DeleteDatabase(dbPath);
    File.Move(tmp, dbPath);
}

static async Task SeedPostgresAsync(string connectionString, BenchPartners rows, GeneratedApiKey key)
{
    await using var services = Infrastructure("Postgres", connectionString);
    await using (var scope = services.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureDeletedAsync();
    }

    await DatabaseInitializer.MigrateAsync(services);
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await rows.WriteAsync(new PostgresBulkWriter(db, connection), key);
            await transaction.CommitAsync();
        }

        // A steady-state database has been vacuumed and analysed (autovacuum): statistics for the planner, the visibility map
        // for index-only scans.
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection);
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync();
    }
}

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static void DeleteDatabase(string path)
{
    foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
    {
        File.Delete(file);
    }
}
