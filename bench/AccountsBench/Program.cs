// bench/AccountsBench - helpers for bench/accounts.sh (never part of the service):
//
//   token --key KEY --email EMAIL [--issuer I] [--audience A] [--minutes M]
//       prints an HS256 bearer token signed with the key the service is configured with (Auth:SigningKey), the same
//       claims the tests mint (email, sub, iss, aud, iat, nbf, exp).
//   commits --provider sqlite|postgres --connection CS --writers N --seconds S
//       the database's own limit for the write benchmark: N threads, each updating its own row in its own transaction
//       (SQLite: WAL, synchronous=FULL, BEGIN IMMEDIATE, one in-process write gate; PostgreSQL: the server's defaults, i.e.
//       synchronous_commit on), for S seconds; prints "commits_per_s=.. p50_ms=.. p99_ms=.. writers=..".
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

var options = Options.Parse(args.Skip(1));
switch (args.FirstOrDefault())
{
    case "token":
        Console.WriteLine(Token(options));
        return 0;
    case "commits":
        await CommitsAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: token --key KEY --email EMAIL | commits --provider sqlite|postgres --connection CS --writers N --seconds S");
        return 2;
}

static string Token(Options o)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
    var email = o.Required("email");
    var payload = new Dictionary<string, object>
    {
        ["email"] = email,
        ["sub"] = email,
        ["iss"] = o.Get("issuer", "partneraccounts"),
        ["aud"] = o.Get("audience", "partneraccounts-api"),
        ["iat"] = now,
        ["nbf"] = now,
        ["exp"] = now + (60 * long.Parse(o.Get("minutes", "120"), CultureInfo.InvariantCulture)),
    };
    var unsigned = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
    var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(o.Required("key")), Encoding.ASCII.GetBytes(unsigned));
    return $"{unsigned}.{Base64Url(signature)}";
}

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

static async Task CommitsAsync(Options o)
{
    var provider = o.Required("provider");
    var connectionString = o.Required("connection");
    var writers = int.Parse(o.Get("writers", "16"), CultureInfo.InvariantCulture);
    var duration = TimeSpan.FromSeconds(double.Parse(o.Get("seconds", "5"), CultureInfo.InvariantCulture));
    var table = "bench_commits";

    Func<Task<ICommitter>> open = provider switch
    {
        "sqlite" => () => Task.FromResult<ICommitter>(new SqliteCommitter(connectionString, table)),
        "postgres" => async () => await PostgresCommitter.OpenAsync(connectionString, table),
        _ => throw new ArgumentException($"unknown provider {provider}"),
    };

    await using (var setup = await open())
    {
        await setup.SetupAsync(writers);
    }

    var latencies = new List<double>[writers];
    var stop = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        var mine = latencies[w] = [];
        await using var committer = await open();
        var value = 0;
        while (stop.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            await committer.CommitAsync(w, ++value);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    })).ToArray();
    await Task.WhenAll(tasks);
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p / 100 * all.Length))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"commits_per_s={all.Length / elapsed:F0} p50_ms={Percentile(50):F3} p99_ms={Percentile(99):F3} writers={writers} commits={all.Length}"));
}

internal interface ICommitter : IAsyncDisposable
{
    Task SetupAsync(int rows);

    Task CommitAsync(int row, int value);
}

/// <summary>
/// One connection per writer; each commit is BEGIN IMMEDIATE, one UPDATE, COMMIT, durable (WAL + synchronous=FULL). SQLite has
/// one writer at a time: the writers take turns through one in-process gate, the best a process can do (left to SQLite's busy
/// handler, which sleeps and retries, 16 writers reach a fraction of this).
/// </summary>
internal sealed class SqliteCommitter : ICommitter
{
    private static readonly SemaphoreSlim WriteGate = new(1, 1);

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _update;
    private readonly string _table;

    public SqliteCommitter(string connectionString, string table)
    {
        _table = table;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        _update = _connection.CreateCommand();
        _update.CommandText = $"UPDATE {table} SET value = $value WHERE id = $id";
        _update.Parameters.Add("$value", SqliteType.Integer);
        _update.Parameters.Add("$id", SqliteType.Integer);
    }

    public Task SetupAsync(int rows)
    {
        Execute($"DROP TABLE IF EXISTS {_table}; CREATE TABLE {_table} (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);");
        for (var i = 0; i < rows; i++)
        {
            Execute($"INSERT INTO {_table} VALUES ({i}, 0)");
        }

        return Task.CompletedTask;
    }

    public async Task CommitAsync(int row, int value)
    {
        await WriteGate.WaitAsync();
        try
        {
            Execute("BEGIN IMMEDIATE");
            _update.Parameters[0].Value = value;
            _update.Parameters[1].Value = row;
            _update.ExecuteNonQuery();
            Execute("COMMIT");
        }
        finally
        {
            WriteGate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync()
    {
        _update.Dispose();
        return _connection.DisposeAsync();
    }
}

/// <summary>One connection per writer; each commit is one UPDATE in its own transaction (synchronous_commit as the server has it).</summary>
internal sealed class PostgresCommitter(NpgsqlConnection connection, string table) : ICommitter
{
    public static async Task<PostgresCommitter> OpenAsync(string connectionString, string table)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return new PostgresCommitter(connection, table);
    }

    public async Task SetupAsync(int rows)
    {
        await using var command = new NpgsqlCommand(
            $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (id integer PRIMARY KEY, value integer NOT NULL); " +
            $"INSERT INTO {table} SELECT g, 0 FROM generate_series(0, {rows - 1}) g;", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task CommitAsync(int row, int value)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"UPDATE {table} SET value = $1 WHERE id = $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row });
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                values[name] = "";
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
        }

        return new Options(values);
    }

    public string Get(string name, string fallback) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;

    public string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");
}
