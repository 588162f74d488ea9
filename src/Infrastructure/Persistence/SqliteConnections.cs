using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>
/// The open SQLite connections the units of work run on: each DI scope (one request) leases one open connection for its
/// <see cref="AppDbContext"/> and gives it back when the scope ends. EF Core then never opens or closes a connection per
/// query, so a request costs one pop and one push on a lock-free stack instead of an open and a close per query through
/// Microsoft.Data.Sqlite's pool (which takes one process-wide lock for both and resets the connection inside it: under 32
/// concurrent requests the largest single cost found by the CPU trace, see ADR 0008).
/// Every connection is opened with the settings the durability guarantee rests on: WAL (set on the file at start-up),
/// <c>synchronous=NORMAL</c> with a shared flush of the log before a write is acknowledged (<see cref="SqliteWalSync"/>: an
/// acknowledged write is on disk, also across a power loss) and a busy timeout
/// handled inside SQLite, which waits in short steps, for the writers this process does not serialize itself
/// (<see cref="SqliteWriteGate"/>).
/// </summary>
public sealed class SqliteConnections : IDisposable
{
    /// <summary>The settings every connection runs with, whatever the connection string says.</summary>
    public const string ConnectionPragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";

    private readonly string _connectionString;
    private readonly int _maxIdle;
    private readonly ConcurrentStack<SqliteConnection> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteConnections(string connectionString, int maxIdle = 64)
    {
        // These connections are this class's pool: Microsoft.Data.Sqlite's own pool would only add its lock back.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _maxIdle = maxIdle;
    }

    public SqliteConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }

    /// <summary>Takes a connection back; one that is not open or still inside a transaction (a unit of work cut short) is closed, never reused.</summary>
    public void Return(SqliteConnection connection)
    {
        if (_disposed || connection.State != System.Data.ConnectionState.Open || SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Push(connection);
        if (_disposed && _idle.TryPop(out var late))
        {
            late.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
    }
}

/// <summary>The connection of one DI scope, leased on first use and given back when the scope ends.</summary>
public sealed class SqliteConnectionLease(SqliteConnections connections) : IDisposable
{
    private SqliteConnection? _connection;

    public SqliteConnection Connection => _connection ??= connections.Rent();

    public void Dispose()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            connections.Return(connection);
        }
    }
}

/// <summary>
/// SQLite has one writer at a time. Left to SQLite, concurrent writers in this process collide on the write lock and
/// Microsoft.Data.Sqlite retries a busy <c>BEGIN IMMEDIATE</c> after sleeping 150 ms on a thread-pool thread (16 writers:
/// about 150 writes/s, p50 over 100 ms). So every SaveChanges on one database file waits its turn here first, without
/// blocking a thread, and then finds the write lock free. Readers are not affected (WAL: they read their snapshot).
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string dataSource) => Gates.GetOrAdd(dataSource, static _ => new SemaphoreSlim(1, 1));

    /// <summary>
    /// Takes the gate of the context's database for a write made outside SaveChanges (a background job's own statements), so
    /// it queues with the requests' saves instead of colliding with them on SQLite's write lock; nothing to take on PostgreSQL.
    /// </summary>
    public static async ValueTask<Turn> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return default;
        }

        var gate = For(db.Database.GetDbConnection().DataSource);
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    /// <summary>A turn at the gate, given back when disposed.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
