// Seeds a fresh SQLite database for the MPN ID verification benchmark, by bulk insert rather than through the API.
//
//   dotnet PartnerAccounts.Bench.Seeder.dll --db PATH --partners N [--api-key-file PATH]
//
// The schema comes from the real migrations, the rows from the domain's own factories, and the INSERT statements from the EF
// Core model (table, column names, value converters), so the data is exactly what the service would have written itself.
// Partner i (0-based) gets the global MPN ID 1000000 + 2i and a headquarters location with 1000000 + 2i + 1, so the known IDs
// are one contiguous range mixing both kinds: 1000000 .. 1000000 + 2N - 1. Its legal name is "Partner <global ID> Ltd".
// Only what verification reads is seeded (accounts, MPN registrations, locations, legal business profiles), plus one API key
// whose secret goes to --api-key-file. The file is built under a temporary name and renamed into place when complete.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Infrastructure;
using PartnerAccounts.Infrastructure.Persistence;

const int FirstMpnId = 1_000_000;

string? dbPath = null, keyFile = null;
var partners = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--db" when i + 1 < args.Length: dbPath = args[++i]; break;
        case "--partners" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 4_000_000:
            partners = n;
            i++;
            break;
        case "--api-key-file" when i + 1 < args.Length: keyFile = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: Seeder --db PATH --partners 1..4000000 [--api-key-file PATH]");
            return 2;
    }
}

if (dbPath is null || partners == 0)
{
    Console.Error.WriteLine("usage: Seeder --db PATH --partners 1..4000000 [--api-key-file PATH]");
    return 2;
}

dbPath = Path.GetFullPath(dbPath);
Directory.CreateDirectory(Path.GetDirectoryName(dbPath)!);
var tmp = $"{dbPath}.{Environment.ProcessId}.tmp";
DeleteDatabase(tmp);
var clock = Stopwatch.StartNew();

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = "Sqlite",
    ["ConnectionStrings:PartnerAccounts"] = $"Data Source={tmp}",
}).Build();
var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
await using (services)
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
        var accounts = new BulkInsert<Account>(db, connection, transaction);
        var registrations = new BulkInsert<MpnRegistration>(db, connection, transaction);
        var locations = new BulkInsert<Location>(db, connection, transaction);
        var legalProfiles = new BulkInsert<LegalBusinessProfile>(db, connection, transaction);
        var apiKeys = new BulkInsert<ApiKey>(db, connection, transaction);
        var now = DateTime.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));

        for (var i = 0; i < partners; i++)
        {
            var globalId = (FirstMpnId + (2 * i)).ToString(CultureInfo.InvariantCulture);
            var locationId = (FirstMpnId + (2 * i) + 1).ToString(CultureInfo.InvariantCulture);
            var accountId = SequentialGuid(1, i);
            var headquartersId = SequentialGuid(2, i);
            var address = new Address("1 Main St", null, "Seattle", "WA", "98101", "US");
            var contact = new Contact("Pat", "Lee", $"admin@partner{globalId}.example", "+1 206 555 0100");

            accounts.Add(Account.Create(accountId, globalId, now));
            registrations.Add(MpnRegistration.ForAccount(globalId, accountId));
            locations.Add(Location.Create(headquartersId, accountId, "Headquarters", address, locationId, now));
            registrations.Add(MpnRegistration.ForLocation(locationId, accountId, headquartersId));
            legalProfiles.Add(LegalBusinessProfile.Create(accountId, $"Partner {globalId} Ltd", address, contact, contact, now));
        }

        var key = ApiKeySecret.Generate();
        apiKeys.Add(ApiKey.Create(SequentialGuid(3, 0), SequentialGuid(1, 0), 1, "benchmark", key, "bench@partneraccounts.example", now));
        transaction.Commit();
        if (keyFile is not null)
        {
            await File.WriteAllTextAsync(keyFile, key.Secret + "\n");
        }
    }

    Execute(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
}

SqliteConnection.ClearAllPools();
DeleteDatabase(dbPath);
File.Move(tmp, dbPath);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"seeded {partners} partners (MPN IDs {FirstMpnId}..{FirstMpnId + (2 * partners) - 1}) into {dbPath} in {clock.Elapsed.TotalSeconds:F1} s"));
return 0;

// Ordered ids insert in key order, which keeps bulk loading fast; kind keeps accounts, locations and keys apart.
static Guid SequentialGuid(int kind, int i) => new(i, (short)kind, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 0);

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

/// <summary>A prepared INSERT of every mapped column of <typeparamref name="T"/> (complex properties included), built from the EF model.</summary>
internal sealed class BulkInsert<T>
    where T : class
{
    private readonly SqliteCommand _command;
    private readonly List<(Func<T, object?> Read, ValueConverterOrNull Convert, SqliteParameter Parameter)> _columns = [];

    public BulkInsert(DbContext db, SqliteConnection connection, SqliteTransaction transaction)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        _command = connection.CreateCommand();
        _command.Transaction = transaction;

        foreach (var property in entityType.GetProperties())
        {
            var getter = property.GetGetter();
            AddColumn(property, table, entity => getter.GetClrValue(entity));
        }

        foreach (var complex in entityType.GetComplexProperties())
        {
            var complexGetter = complex.GetGetter();
            foreach (var property in complex.ComplexType.GetProperties())
            {
                var getter = property.GetGetter();
                AddColumn(property, table, entity => complexGetter.GetClrValue(entity) is { } value ? getter.GetClrValue(value) : null);
            }
        }

        var names = string.Join(", ", _columns.Select(c => '"' + c.Parameter.SourceColumn + '"'));
        var values = string.Join(", ", _columns.Select(c => c.Parameter.ParameterName));
        _command.CommandText = $"INSERT INTO \"{table.Name}\" ({names}) VALUES ({values})";
        _command.Prepare();
    }

    public void Add(T entity)
    {
        foreach (var (read, convert, parameter) in _columns)
        {
            var value = read(entity);
            parameter.Value = (value is null ? null : convert.ToProvider(value)) ?? DBNull.Value;
        }

        _command.ExecuteNonQuery();
    }

    private void AddColumn(IProperty property, StoreObjectIdentifier table, Func<T, object?> read)
    {
        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        var parameter = (SqliteParameter)mapping.CreateParameter(_command, $"@p{_columns.Count}", null, property.IsNullable);
        parameter.SourceColumn = property.GetColumnName(table) ?? throw new InvalidOperationException($"{property.Name} has no column.");
        _command.Parameters.Add(parameter);
        _columns.Add((read, new ValueConverterOrNull(mapping.Converter), parameter));
    }
}

internal readonly record struct ValueConverterOrNull(Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter)
{
    public object? ToProvider(object value) => Converter is null ? value : Converter.ConvertToProvider(value);
}
