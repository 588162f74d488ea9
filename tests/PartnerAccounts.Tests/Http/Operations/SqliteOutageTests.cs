using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http.Operations;

/// <summary>
/// A SQLite database that cannot be written: the engine itself refuses (SQLITE_READONLY from <c>PRAGMA query_only</c>,
/// SQLITE_FULL from <c>PRAGMA max_page_count</c> held at the file's current size, the error a full disk gives) on the very
/// connections the requests run on, so the failure travels the real pipeline: EF Core's SaveChanges, the write gate, the
/// idempotency claim, the exception handler. Writes must be 503 <c>service_unavailable</c> with <c>Retry-After</c>, never
/// 500; reads keep working; nothing refused is stored; once the database can be written again writes succeed without a
/// restart. A node of its own on a new file (the shared test database is not touched). SQLite pass only.
/// A real full disk and a read-only file system, with the process's own start-up, are in Durability/SqliteDiskTests.cs.
/// </summary>
public sealed class SqliteOutageTests : ApiTest
{
    private readonly SqliteFaults _faults = new();
    private string _file = null!;
    private WebApplicationFactory<Program> _node = null!;

    [OneTimeSetUp]
    public void StartNode()
    {
        if (Factory.Database.Provider != "Sqlite")
        {
            Assert.Ignore("SQLite only: the file the service writes is what fails.");
        }

        _file = Path.Combine(Path.GetTempPath(), $"partneraccounts-outage-{Guid.NewGuid():N}.db");
        _node = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:PartnerAccounts", $"Data Source={_file}")
            .ConfigureTestServices(services => services.ConfigureDbContext<SqliteAppDbContext>(options => options.AddInterceptors(_faults))));
    }

    [OneTimeTearDown]
    public async Task StopNodeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    [TearDown]
    public void Heal() => _faults.Set(SqliteFaults.Healthy);

    [Test]
    public async Task Writes_WhenTheSqliteFileIsReadOnly_ShouldBe503WithRetryAfterWhileReadsKeepWorking()
    {
        var (admin, accountId, mpnId, integration) = await NewPartnerAsync();
        var legal = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (profile, etag) = await GetWithETagAsync(admin, legal);
        profile["companyName"] = "Renamed while read-only";

        _faults.Set(SqliteFaults.ReadOnly);

        using (var put = await admin.SendAsync(Json(HttpMethod.Put, legal, profile.ToJsonString(), etag)))
        {
            await AssertUnavailableAsync(put);
        }

        using (var create = await admin.SendAsync(IdempotentCreate("read-only-retry")))
        {
            await AssertUnavailableAsync(create);
        }

        using (var key = await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/api-keys", new { name = "second" }))
        {
            await AssertUnavailableAsync(key);
        }

        await AssertReadsWorkAsync(admin, accountId, mpnId, integration, "Fabrikam Outage");

        _faults.Set(SqliteFaults.Healthy);

        // Nothing of the refused writes was stored: the old ETag is still current, and the idempotency key is free.
        using (var put = await admin.SendAsync(Json(HttpMethod.Put, legal, profile.ToJsonString(), etag)))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }

        using (var create = await admin.SendAsync(IdempotentCreate("read-only-retry")))
        {
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created), await create.Content.ReadAsStringAsync());
            Assert.That(create.Headers.Contains("Idempotent-Replayed"), Is.False, "the refused request stored no response to replay");
        }

        Assert.That(await PartnerNameAsync(integration, mpnId), Is.EqualTo("Renamed while read-only"), "the cache follows the write once it succeeds");
    }

    [Test]
    public async Task Writes_WhenTheSqliteDiskIsFull_ShouldBe503WithRetryAfterWhileReadsKeepWorking()
    {
        var (admin, accountId, mpnId, integration) = await NewPartnerAsync();
        var business = $"/v1/accounts/{accountId}/profiles/business";
        var (_, etag) = await GetWithETagAsync(admin, business);
        var large = LargeBusinessProfile();

        _faults.Set(SqliteFaults.Full);

        using (var put = await admin.SendAsync(Json(HttpMethod.Put, business, large, etag)))
        {
            await AssertUnavailableAsync(put);
        }

        await AssertReadsWorkAsync(admin, accountId, mpnId, integration, "Fabrikam Outage");
        var (unchanged, etagWhileFull) = await GetWithETagAsync(admin, business);
        Assert.Multiple(() =>
        {
            Assert.That(etagWhileFull, Is.EqualTo(etag), "the refused write changed nothing");
            Assert.That(unchanged["description"]?.GetValue<string>(), Is.Null);
        });

        _faults.Set(SqliteFaults.Healthy);

        using (var put = await admin.SendAsync(Json(HttpMethod.Put, business, large, etag)))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The operations openapi/v1.json documents without a 503 are exactly those that answer without the database.</summary>
    [Test]
    public async Task Requests_WhenTheDatabaseCannotBeOpened_ShouldBe503ExceptTheCatalogues()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"partneraccounts-missing-{Guid.NewGuid():N}.db");
        await using var node = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:PartnerAccounts", $"Data Source={missing};Mode=ReadOnly")
            .UseSetting("Database:MigrateOnStartup", "false"));
        using var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, NewEmail("caller"), isOperator: false, TimeSpan.FromMinutes(10)));

        foreach (var uri in new[] { "/v1/roles", "/v1/programs", "/v1/programs/mpn" })
        {
            using var catalogue = await client.GetAsync(uri);
            Assert.That(catalogue.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{uri}: {await catalogue.Content.ReadAsStringAsync()}");
        }

        using (var picker = await client.GetAsync("/v1/me/accounts"))
        {
            await AssertUnavailableAsync(picker);
        }

        using (var create = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody()))
        {
            await AssertUnavailableAsync(create);
        }

        using (var signIn = await node.CreateClient().PostAsJsonAsync("/v1/auth/token", new { email = NewEmail("nobody"), password = "a-long-enough-password" }))
        {
            await AssertUnavailableAsync(signIn);
        }

        Assert.That(File.Exists(missing), Is.False);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)), "Retry-After in seconds");
    }

    /// <summary>What needs only reads answers as usual: the account, its profile, the picker, a verification of a cached and of an uncached ID.</summary>
    private static async Task AssertReadsWorkAsync(HttpClient admin, Guid accountId, string mpnId, HttpClient integration, string namePrefix)
    {
        foreach (var uri in new[] { $"/v1/accounts/{accountId}", $"/v1/accounts/{accountId}/profiles/legalbusiness", "/v1/me/accounts", "/v1/roles" })
        {
            using var read = await admin.GetAsync(uri);
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{uri}: {await read.Content.ReadAsStringAsync()}");
        }

        Assert.That(await PartnerNameAsync(integration, mpnId), Does.StartWith(namePrefix), "a cached verification");
        using var unknown = await integration.GetAsync(new Uri("/v1/profiles/mpn?mpnId=1", UriKind.Relative));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "mpn_id_not_found");
    }

    /// <summary>An account with an API key on this node, its MPN ID verified once (so it is cached).</summary>
    private async Task<(HttpClient Admin, Guid AccountId, string MpnId, HttpClient Integration)> NewPartnerAsync()
    {
        var admin = Client(NewEmail("admin"));
        var account = await CreateAccountAsync(admin, "Fabrikam Outage " + Guid.NewGuid().ToString("N")[..8]);
        var accountId = account["id"]!.GetValue<Guid>();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        var integration = ApiKeyRequests.WithKey(_node.CreateClient(), key.Secret);
        var mpnId = account["mpnId"]!.GetValue<string>();
        Assert.That(await PartnerNameAsync(integration, mpnId), Does.StartWith("Fabrikam Outage"));
        return (admin, accountId, mpnId, integration);
    }

    private HttpClient Client(string email)
    {
        var client = _node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, email, isOperator: false, TimeSpan.FromMinutes(10)));
        return client;
    }

    private static HttpRequestMessage IdempotentCreate(string key)
    {
        var request = Json(HttpMethod.Post, "/v1/accounts", NewAccountBody());
        request.Headers.Add("Idempotency-Key", key + "-" + Guid.NewGuid().ToString("N"));
        return request;
    }

    private static async Task<string?> PartnerNameAsync(HttpClient integration, string mpnId)
    {
        using var response = await integration.GetAsync(new Uri($"/v1/profiles/mpn?mpnId={mpnId}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!["partnerName"]?.GetValue<string>();
    }

    /// <summary>About 20 KB of profile (and twice that in its audit record): it cannot be stored without new pages.</summary>
    private static object LargeBusinessProfile()
    {
        static string Text(int length) => string.Concat(Enumerable.Range(0, (length / 32) + 1).Select(_ => Guid.NewGuid().ToString("N")))[..length];
        static string[] Items() => [.. Enumerable.Range(0, 50).Select(_ => Text(100))];
        return new { description = Text(4000), website = "https://fabrikam.example", industries = Items(), products = Items(), services = Items() };
    }

    /// <summary>
    /// Puts the node's SQLite connections into a state SQLite refuses writes in, before each command they run (a pragma, on the
    /// command's own connection and transaction). <see cref="ReadOnly"/>: <c>query_only</c>, every write is SQLITE_READONLY.
    /// <see cref="Full"/>: <c>max_page_count</c> at the file's current size (SQLite never sets it lower), every write that needs
    /// a new page is SQLITE_FULL, as on a full disk.
    /// </summary>
    private sealed class SqliteFaults : DbCommandInterceptor
    {
        public const string Healthy = "PRAGMA query_only = 0; PRAGMA max_page_count = 1073741823;";
        public const string ReadOnly = "PRAGMA query_only = 1; PRAGMA max_page_count = 1073741823;";
        public const string Full = "PRAGMA query_only = 0; PRAGMA max_page_count = 1;";

        private readonly ConditionalWeakTable<DbConnection, string> _applied = [];
        private volatile string _pragmas = Healthy;

        public void Set(string pragmas) => _pragmas = pragmas;

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Apply(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Apply(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Apply(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Apply(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Apply(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Apply(command);
            return ValueTask.FromResult(result);
        }

        private void Apply(DbCommand command)
        {
            var pragmas = _pragmas;
            if (command.Connection is not { } connection || (_applied.TryGetValue(connection, out var applied) && ReferenceEquals(applied, pragmas)))
            {
                return;
            }

            using var pragma = connection.CreateCommand();
            pragma.Transaction = command.Transaction;
            pragma.CommandText = pragmas;
            pragma.ExecuteNonQuery();
            _applied.AddOrUpdate(connection, pragmas);
        }
    }
}
