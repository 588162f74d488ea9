using Npgsql;
using Testcontainers.PostgreSql;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>
/// The database engine of a test run, chosen by <c>TEST_DB</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>). SQLite is a fresh
/// file per run. PostgreSQL comes from <c>TEST_PG_CONNECTION</c> (a fresh database is created on that server and dropped after),
/// else from Testcontainers; when neither is available the run is skipped with the reason, or fails when <c>REQUIRE_DB=1</c>.
/// Engines are never swapped silently.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private TestDatabase(string provider, string connectionString, string description, Func<ValueTask> cleanup)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
        _cleanup = cleanup;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Which server the run used, for the test log.</summary>
    public string Description { get; }

    public static string RequestedEngine => Environment.GetEnvironmentVariable("TEST_DB") is { Length: > 0 } engine ? engine : "Sqlite";

    public static bool DatabaseRequired => Environment.GetEnvironmentVariable("REQUIRE_DB") == "1";

    /// <summary>The engine the run asked for, or null with the reason it is not available.</summary>
    public static async Task<(TestDatabase? Database, string? Unavailable)> StartAsync()
    {
        switch (RequestedEngine.ToUpperInvariant())
        {
            case "SQLITE":
                return (Sqlite(), null);
            case "POSTGRES":
                return await PostgresAsync();
            default:
                throw new InvalidOperationException($"TEST_DB '{RequestedEngine}' is not an engine; use Sqlite or Postgres.");
        }
    }

    public static TestDatabase Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"partneraccounts-tests-{Guid.NewGuid():N}.db");
        return new TestDatabase("Sqlite", $"Data Source={file}", $"SQLite file {file}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }

            return ValueTask.CompletedTask;
        });
    }

    private static async Task<(TestDatabase?, string?)> PostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable("TEST_PG_CONNECTION");
        if (!string.IsNullOrWhiteSpace(server))
        {
            return (await OnServerAsync(server, "TEST_PG_CONNECTION", () => ValueTask.CompletedTask), null);
        }

        PostgreSqlContainer? container = null;
        try
        {
            container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            var started = container;
            return (await OnServerAsync(container.GetConnectionString(), "a Testcontainers PostgreSQL container", () => started.DisposeAsync()), null);
        }
#pragma warning disable CA1031 // any failure to start a container means "no PostgreSQL here", which is reported, not hidden
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }

            return (null, "PostgreSQL is not available: TEST_PG_CONNECTION is not set and Testcontainers could not start a container (" +
                ex.GetType().Name + ": " + ex.Message.Split('\n')[0] + "). Run scripts/test.sh, which starts a throwaway server.");
        }
    }

    /// <summary>A database of its own on the server, so runs never share data; dropped afterwards.</summary>
    private static async Task<TestDatabase> OnServerAsync(string serverConnectionString, string source, Func<ValueTask> stopServer)
    {
        var name = $"partneraccounts_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, MaxPoolSize = 100 };
        var description = $"PostgreSQL {builder.Host}:{builder.Port} database {name} (from {source})";
        return new TestDatabase("Postgres", builder.ConnectionString, description, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using (var admin = new NpgsqlConnection(serverConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            await stopServer();
        });
    }

    public ValueTask DisposeAsync() => _cleanup();
}
