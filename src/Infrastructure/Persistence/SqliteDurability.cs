using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>
/// Group commit for a SQLite database file. Connections commit with <c>synchronous=NORMAL</c> (WAL: a commit is in the log and
/// visible, not yet forced to disk), and a write is acknowledged only after the log has been forced to disk (<c>fsync</c>) once
/// more after its commit. One flush covers every commit that finished before it started, so concurrent writers share flushes
/// instead of each paying one inside the single write lock (ADR 0008). The guarantee for acknowledged writes is the one of
/// <c>synchronous=FULL</c>: they survive a process kill and a power loss. The difference: another reader may see a commit up to
/// one flush before it is acknowledged (and, after a power loss, lose it with its unacknowledged writer).
/// </summary>
public sealed class SqliteWalSync
{
    private static readonly ConcurrentDictionary<string, SqliteWalSync> ByFile = new(StringComparer.Ordinal);

    private readonly string _walPath;
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = NewRound();
    private int _waiting;
    private bool _flushing;
    private long _flushes;

    private SqliteWalSync(string databasePath) => _walPath = databasePath + "-wal";

    /// <summary>The flusher of one database file (its full path, as <see cref="SqliteConnection.DataSource"/> gives it).</summary>
    public static SqliteWalSync For(string databasePath) => ByFile.GetOrAdd(databasePath, static path => new SqliteWalSync(path));

    /// <summary>How many times the log has been forced to disk so far (each flush covers every writer waiting when it began).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Completes once everything committed on this file before the call is on disk.</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            _waiting++;
            var round = _next.Task;
            if (!_flushing)
            {
                _flushing = true;
                _ = Task.Run(FlushRounds);
            }

            return round;
        }
    }

    private void FlushRounds()
    {
        while (true)
        {
            TaskCompletionSource round;
            lock (_lock)
            {
                if (_waiting == 0)
                {
                    _flushing = false;
                    return;
                }

                // Everyone waiting now committed before this flush starts: this flush covers them all.
                round = _next;
                _next = NewRound();
                _waiting = 0;
            }

            try
            {
                FlushLog();
                Interlocked.Increment(ref _flushes);
                round.SetResult();
            }
            catch (Exception ex)
            {
                round.SetException(ex);
            }
        }
    }

    /// <summary>
    /// Forces the write-ahead log to disk. Opened for each flush, so a log SQLite deleted and created again (when the last
    /// connection closed) is never missed; no log means SQLite checkpointed it into the database file, which it flushes itself.
    /// SQLite locks the shared-memory file, never the log, so this descriptor's close releases none of its locks.
    /// </summary>
    private void FlushLog()
    {
        FileStream log;
        try
        {
            log = new FileStream(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LogUnavailable(ex);
        }

        using (log)
        {
            try
            {
                log.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                throw LogUnavailable(ex);
            }
        }
    }

    /// <summary>
    /// A log that cannot be opened or forced to disk (a read-only or full volume, an I/O error) is the SQLite I/O error it is, so
    /// the start-up reports it in one line and a request gets 503 (<see cref="DatabaseFailures"/>), not a stack trace or a 500.
    /// </summary>
    private static SqliteException LogUnavailable(Exception ex) =>
        new($"SQLite Error 10: the write-ahead log cannot be forced to disk ({ex.Message}).", DatabaseFailures.SqliteIoErrorCode);

    private static TaskCompletionSource NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// A statement EF Core runs outside a transaction and outside SaveChanges (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, raw SQL)
/// commits on its own: it is acknowledged, like a SaveChanges, only once the log is on disk (<see cref="SqliteWalSync"/>).
/// </summary>
public sealed class SqliteDurabilityInterceptor : DbCommandInterceptor
{
    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        if (MustFlush(command, eventData) is { } sync)
        {
            sync.FlushAsync().GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (MustFlush(command, eventData) is { } sync)
        {
            await sync.FlushAsync();
        }

        return result;
    }

    private static SqliteWalSync? MustFlush(DbCommand command, CommandExecutedEventData eventData) =>
        command.Transaction is null && eventData.Context is SqliteAppDbContext { IsSaving: false } && command.Connection is SqliteConnection connection
            ? SqliteWalSync.For(connection.DataSource)
            : null;
}
