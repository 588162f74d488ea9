using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PartnerAccounts.Tests.Durability;

/// <summary>
/// No acknowledged write is lost when the process dies: the API runs as a separate process on a SQLite file, several clients
/// create accounts and replace their billing profiles (If-Match) in parallel, the process is killed with SIGKILL in the
/// middle of that load and started again on the same file. Every write that was answered with a 2xx must be there, and
/// the database must pass <c>PRAGMA integrity_check</c>. SQLite only: it is the engine whose file the service owns.
/// A SIGKILL is a process crash, not a power cut: it proves that nothing is acknowledged before it is committed (no
/// write-behind, no unflushed unit of work) and that a crash mid-transaction leaves a database SQLite recovers cleanly.
/// </summary>
[Category("Durability")]
[NonParallelizable]
public sealed class DurabilityTests
{
    private const int Writers = 6;
    private const string Iban = "GB82WEST12345698765432";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120); // start-up on a shared 2-core machine, not what is tested

    private string _databaseFile = null!;

    [SetUp]
    public void CreateDatabaseFile() => _databaseFile = Path.Combine(Path.GetTempPath(), $"partneraccounts-durability-{Guid.NewGuid():N}.db");

    [TearDown]
    public void DeleteDatabaseFile()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task AcknowledgedWrites_WhenTheProcessIsKilledMidLoad_ShouldAllSurviveARestartOnAnIntactDatabase()
    {
        var writers = Enumerable.Range(0, Writers).Select(i => new Writer($"durable-{i}-{Guid.NewGuid():N}@example.com")).ToList();
        var unexpected = new ConcurrentQueue<string>();
        int acknowledged;

        var timeline = Stopwatch.StartNew();
        var first = await ApiProcess.StartAsync(_databaseFile, StartTimeout);
        try
        {
            using var stop = new CancellationTokenSource();
            var load = writers.Select(w => Task.Run(() => w.RunAsync(first, stop.Token, unexpected))).ToList();

            // Long enough for a real backlog of acknowledged writes with more in flight (on a starved machine that takes longer);
            // bounded so a service that acknowledges nothing still ends the test.
            var clock = Stopwatch.StartNew();
            while ((clock.Elapsed < TimeSpan.FromSeconds(1) || writers.Sum(w => w.AcknowledgedWrites) < 30) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            await first.KillAsync();
            acknowledged = writers.Sum(w => w.AcknowledgedWrites);
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.That(unexpected, Is.Empty, "every write before the kill is acknowledged with a 2xx");
        Assert.That(acknowledged, Is.GreaterThanOrEqualTo(20), "the kill came in the middle of real load");
        Assert.That(writers.Count(w => w.InFlightWhenKilled), Is.GreaterThan(0), "some writes were in flight when the process died");
        Assert.That(IntegrityCheck(), Is.EqualTo("ok"), "right after the crash");

        var second = await ApiProcess.StartAsync(_databaseFile, StartTimeout);
        try
        {
            var lost = new List<string>();
            foreach (var writer in writers)
            {
                lost.AddRange(await writer.VerifyAsync(second));
            }

            TestContext.Progress.WriteLine(
                $"Durability: {acknowledged} acknowledged writes, {writers.Count(w => w.InFlightWhenKilled)} in flight at the SIGKILL, checked after the restart ({timeline.Elapsed.TotalSeconds:F1} s)");
            Assert.That(lost, Is.Empty, $"acknowledged writes missing after the restart ({acknowledged} acknowledged)");
        }
        finally
        {
            await second.DisposeAsync();
        }

        Assert.That(IntegrityCheck(), Is.EqualTo("ok"), "after the restarted process stopped");
    }

    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _databaseFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("\n", lines);
    }

    /// <summary>What one account should hold: the last acknowledged billing write, and a write that was sent but never answered.</summary>
    private sealed class AccountState(Guid id, string legalName)
    {
        public Guid Id { get; } = id;

        public string LegalName { get; } = legalName;

        public string? AcknowledgedPurchaseOrder { get; set; }

        public string? AcknowledgedETag { get; set; }

        public string? UnansweredPurchaseOrder { get; set; }
    }

    /// <summary>One client: creates accounts and replaces each one's billing profile a few times, one request at a time.</summary>
    private sealed class Writer(string email)
    {
        private readonly List<AccountState> _accounts = [];
        private int _acknowledged;

        public int AcknowledgedWrites => Volatile.Read(ref _acknowledged);

        public bool InFlightWhenKilled { get; private set; }

        public async Task RunAsync(ApiProcess api, CancellationToken stop, ConcurrentQueue<string> unexpected)
        {
            using var client = api.ClientFor(email);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var legalName = $"Durable {email[..12]} {n}";
                var step = "create";
                try
                {
                    using var created = await client.PostAsJsonAsync("/v1/accounts", AccountBody(legalName), CancellationToken.None);
                    if (!Acknowledge(created, unexpected, "create"))
                    {
                        return;
                    }

                    var account = new AccountState((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), legalName);
                    _accounts.Add(account);

                    step = "read";
                    using var read = await client.GetAsync(new Uri(BillingUri(account.Id), UriKind.Relative), CancellationToken.None);
                    if (!Acknowledge(read, unexpected, "read", countsAsWrite: false))
                    {
                        return;
                    }

                    var etag = read.Headers.ETag!.Tag;
                    for (var k = 0; k < 3 && !stop.IsCancellationRequested; k++)
                    {
                        step = "replace";
                        var purchaseOrder = $"PO-{n}-{k}-{Guid.NewGuid():N}"[..30];
                        account.UnansweredPurchaseOrder = purchaseOrder;
                        using var request = new HttpRequestMessage(HttpMethod.Put, BillingUri(account.Id)) { Content = JsonContent.Create(BillingBody(purchaseOrder)) };
                        request.Headers.TryAddWithoutValidation("If-Match", etag);
                        using var replaced = await client.SendAsync(request, CancellationToken.None);
                        if (!Acknowledge(replaced, unexpected, "replace"))
                        {
                            return;
                        }

                        etag = replaced.Headers.ETag!.Tag;
                        account.AcknowledgedPurchaseOrder = purchaseOrder;
                        account.AcknowledgedETag = etag;
                        account.UnansweredPurchaseOrder = null;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The process died under this request: it may or may not have been written, and was never acknowledged.
                    // A refused connection means it died before: that request was never sent.
                    var refused = ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
                    InFlightWhenKilled |= !refused && step is "create" or "replace";
                    return;
                }
            }
        }

        /// <summary>Every acknowledged account and its last acknowledged billing write (or the unanswered one after it).</summary>
        public async Task<List<string>> VerifyAsync(ApiProcess api)
        {
            var lost = new List<string>();
            using var client = api.ClientFor(email);
            var mine = (await client.GetFromJsonAsync<JsonObject>("/v1/me/accounts?limit=200"))!["items"]!.AsArray()
                .Select(a => a!["accountId"]!.GetValue<Guid>()).ToHashSet();
            foreach (var account in _accounts)
            {
                if (!mine.Contains(account.Id))
                {
                    lost.Add($"{email}: account {account.Id} is not in the account picker");
                }

                using var summary = await client.GetAsync(new Uri($"/v1/accounts/{account.Id}", UriKind.Relative));
                if (summary.StatusCode != HttpStatusCode.OK)
                {
                    lost.Add($"{email}: account {account.Id} answers {(int)summary.StatusCode}");
                    continue;
                }

                var name = (await summary.Content.ReadFromJsonAsync<JsonObject>())!["legalName"]?.GetValue<string>();
                if (name != account.LegalName)
                {
                    lost.Add($"{email}: account {account.Id} is named '{name}', not '{account.LegalName}'");
                }

                using var billing = await client.GetAsync(new Uri(BillingUri(account.Id), UriKind.Relative));
                var body = (await billing.Content.ReadFromJsonAsync<JsonObject>())!;
                var stored = body["purchaseOrderNumber"]?.GetValue<string>();
                // Null is the state before any acknowledged replace; an unanswered replace may or may not have landed.
                var allowed = new List<string?> { account.AcknowledgedPurchaseOrder };
                if (account.UnansweredPurchaseOrder is not null)
                {
                    allowed.Add(account.UnansweredPurchaseOrder);
                }

                if (!allowed.Contains(stored))
                {
                    lost.Add($"{email}: account {account.Id} billing holds '{stored}', acknowledged '{account.AcknowledgedPurchaseOrder}', unanswered '{account.UnansweredPurchaseOrder}'");
                }
                else if (stored is not null && stored == account.AcknowledgedPurchaseOrder)
                {
                    if (billing.Headers.ETag?.Tag != account.AcknowledgedETag)
                    {
                        lost.Add($"{email}: account {account.Id} billing ETag {billing.Headers.ETag?.Tag}, acknowledged {account.AcknowledgedETag}");
                    }

                    if (body["bankInformation"]?["ibanLast4"]?.GetValue<string>() != Iban[^4..])
                    {
                        lost.Add($"{email}: account {account.Id} lost its bank information: {body.ToJsonString()}");
                    }
                }
            }

            return lost;
        }

        private bool Acknowledge(HttpResponseMessage response, ConcurrentQueue<string> unexpected, string what, bool countsAsWrite = true)
        {
            if (!response.IsSuccessStatusCode)
            {
                unexpected.Enqueue($"{email} {what}: {(int)response.StatusCode}");
                return false;
            }

            if (countsAsWrite)
            {
                Interlocked.Increment(ref _acknowledged);
            }

            return true;
        }

        private static string BillingUri(Guid accountId) => $"/v1/accounts/{accountId}/profiles/billing";

        private static object AccountBody(string legalName) => new
        {
            legalName,
            address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
            primaryContact = new { firstName = "Pat", lastName = "Lee", email = "pat@fabrikam.example", phoneNumber = "+1 206 555 0100" },
        };

        private static object BillingBody(string purchaseOrderNumber) => new
        {
            address = new { addressLine1 = "10 Downing St", city = "London", postalCode = "SW1A 2AA", country = "GB" },
            purchaseOrderNumber,
            bankInformation = new { accountHolderName = "Fabrikam Ltd", iban = Iban },
        };
    }
}
