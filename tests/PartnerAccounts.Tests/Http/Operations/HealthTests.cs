using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http.Operations;

/// <summary>/health/live and /health/ready on the run's engine: anonymous, JSON, 503 while the database is unreachable or behind.</summary>
public sealed class HealthTests : ApiTest
{
    [Test]
    public async Task Live_WhenTheProcessRuns_ShouldReturn200JsonWithoutCredentials()
    {
        using var response = await Anonymous().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)(await ReadJsonAsync(response))["status"], Is.EqualTo("healthy"));
        });
    }

    [Test]
    public async Task Ready_WhenTheDatabaseIsCurrent_ShouldReturn200WithEachCheck()
    {
        using var response = await Anonymous().GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await ReadJsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
            Assert.That((string?)body["status"], Is.EqualTo("healthy"));
            Assert.That((string?)body["checks"]!["database"], Is.EqualTo("healthy"));
            Assert.That((string?)body["checks"]!["migrations"], Is.EqualTo("healthy"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
    }

    [Test]
    public async Task Ready_WhenTheDatabaseIsUnreachable_ShouldReturn503AndLiveStays200()
    {
        var unreachable = Factory.Database.Provider == "Postgres"
            ? new NpgsqlConnectionStringBuilder(Factory.Database.ConnectionString) { Host = "127.0.0.1", Port = FreePort(), Timeout = 2 }.ConnectionString
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.db")};Mode=ReadOnly";
        await using var node = Node(unreachable);
        using var client = node.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        var body = await ReadJsonAsync(ready);

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
            Assert.That((string?)body["status"], Is.EqualTo("unhealthy"));
            Assert.That((string?)body["checks"]!["database"], Is.EqualTo("unhealthy"));
            Assert.That(body.ToJsonString(), Does.Not.Contain("Password").And.Not.Contain("Exception"), "no connection details or exception text");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Ready_WhenMigrationsArePending_ShouldReturn503UntilTheyAreApplied()
    {
        await using var empty = await EmptyDatabase.CreateAsync(Factory.Database);
        await using var node = Node(empty.ConnectionString);
        using var client = node.CreateClient();

        using var pending = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await ReadJsonAsync(pending);
        await DatabaseInitializer.MigrateAsync(node.Services);
        using var current = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(pending.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
            Assert.That((string?)body["checks"]!["database"], Is.EqualTo("healthy"));
            Assert.That((string?)body["checks"]!["migrations"], Is.EqualTo("unhealthy"));
            Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    /// <summary>A node of its own on <paramref name="connectionString"/> that does not migrate at start-up.</summary>
    private static WebApplicationFactory<Program> Node(string connectionString) => Factory.WithWebHostBuilder(builder => builder
        .UseSetting("ConnectionStrings:PartnerAccounts", connectionString)
        .UseSetting("Database:MigrateOnStartup", "false"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An empty database on the run's engine: a new SQLite file, or a new database on the run's PostgreSQL server.</summary>
    private sealed class EmptyDatabase : IAsyncDisposable
    {
        private readonly Func<Task> _drop;

        private EmptyDatabase(string connectionString, Func<Task> drop)
        {
            ConnectionString = connectionString;
            _drop = drop;
        }

        public string ConnectionString { get; }

        public static async Task<EmptyDatabase> CreateAsync(TestDatabase run)
        {
            if (run.Provider != "Postgres")
            {
                var file = Path.Combine(Path.GetTempPath(), $"partneraccounts-empty-{Guid.NewGuid():N}.db");
                return new EmptyDatabase($"Data Source={file}", () =>
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    File.Delete(file);
                    return Task.CompletedTask;
                });
            }

            var name = $"partneraccounts_empty_{Guid.NewGuid():N}";
            var server = new NpgsqlConnectionStringBuilder(run.ConnectionString) { Database = "postgres" }.ConnectionString;
            await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
            return new EmptyDatabase(
                new NpgsqlConnectionStringBuilder(run.ConnectionString) { Database = name }.ConnectionString,
                () =>
                {
                    NpgsqlConnection.ClearAllPools();
                    return ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                });
        }

        public async ValueTask DisposeAsync() => await _drop();

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
