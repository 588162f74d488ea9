using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Tests.Persistence;

/// <summary>
/// The SQLite group commit: connections commit with synchronous=NORMAL and every acknowledged write waits for a flush of the
/// write-ahead log that began after its commit; concurrent writers share flushes.
/// </summary>
public sealed class SqliteDurabilityTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("pa-durability-").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task RentedConnection_ShouldCommitWithNormalSynchronousInWalMode()
    {
        using var connections = new SqliteConnections($"Data Source={Path.Combine(_folder, "a.db")}");
        var connection = connections.Rent();
        try
        {
            await Execute(connection, "PRAGMA journal_mode=WAL;");
            Assert.That(await Scalar(connection, "PRAGMA synchronous;"), Is.EqualTo(1L), "1 is NORMAL: the flush is SqliteWalSync's");
            Assert.That(await Scalar(connection, "PRAGMA journal_mode;"), Is.EqualTo("wal"));
        }
        finally
        {
            connections.Return(connection);
        }
    }

    [Test]
    public async Task FlushAsync_WhenManyWritersWaitAtOnce_ShouldCompleteThemAllWithFewerFlushesThanWriters()
    {
        var path = Path.Combine(_folder, "b.db");
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);");
        await Execute(connection, "INSERT INTO t VALUES (1);");
        Assert.That(File.Exists(path + "-wal"), Is.True, "the commit is in the log");

        var sync = SqliteWalSync.For(path);
        var before = sync.Flushes;
        // 200 writers asking within microseconds of each other (the flushes run on another thread, each an fsync)
        var waiting = Enumerable.Range(0, 200).Select(_ => sync.FlushAsync()).ToList();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));

        var flushes = sync.Flushes - before;
        Assert.That(flushes, Is.GreaterThanOrEqualTo(1), "every waiter was covered by a flush that really ran");
        Assert.That(flushes, Is.LessThan(200), "waiters that arrive during a flush share the next one");
    }

    [Test]
    public async Task FlushAsync_WhenTheDatabaseHasNoLog_ShouldComplete()
    {
        var sync = SqliteWalSync.For(Path.Combine(_folder, "never-written.db"));
        var before = sync.Flushes;

        await sync.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(sync.Flushes, Is.EqualTo(before + 1));
    }

    [Test]
    public async Task StatementOutsideSaveChanges_WhenItCommitsOnItsOwn_ShouldWaitForAFlush()
    {
        var (connection, db, sync) = await ContextOnNewDatabase("c.db");
        await using var _ = connection;
        await using var __ = db;
        var before = sync.Flushes;

        await db.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (2);");

        Assert.That(sync.Flushes, Is.GreaterThan(before), "the statement returned only after a flush");
    }

    [Test]
    public async Task StatementInsideATransaction_ShouldLeaveTheFlushToTheCommit()
    {
        var (connection, db, sync) = await ContextOnNewDatabase("d.db");
        await using var _ = connection;
        await using var __ = db;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var before = sync.Flushes;

        await db.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (3);");

        Assert.That(sync.Flushes, Is.EqualTo(before), "nothing is committed yet, so nothing waits");
        await transaction.RollbackAsync();
    }

    private async Task<(SqliteConnection Connection, SqliteAppDbContext Db, SqliteWalSync Sync)> ContextOnNewDatabase(string file)
    {
        var path = Path.Combine(_folder, file);
        var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);");
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).AddInterceptors(new SqliteDurabilityInterceptor()).Options;
        return (connection, new SqliteAppDbContext(options), SqliteWalSync.For(path));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
