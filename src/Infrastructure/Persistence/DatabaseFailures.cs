using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>
/// Tells "the database cannot serve us right now" (the server is down, restarting, unreachable or out of connections; a SQLite
/// file that is full, read-only, unreadable or locked past the busy timeout) from every other database error, which stays a
/// bug (a 500). The API answers the first kind with 503 <c>service_unavailable</c> and <c>Retry-After</c>
/// (docs/adr/0010-scale-out.md). EF Core wraps provider errors (<c>DbUpdateException</c>, the "transient failure"
/// <c>InvalidOperationException</c>), so the whole chain of inner exceptions is looked at.
/// </summary>
public static class DatabaseFailures
{
    // SQLite primary result codes (the low byte of an extended code): https://www.sqlite.org/rescode.html
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;

    /// <summary>SQLITE_IOERR, for an I/O failure of the service's own around a SQLite file (the write-ahead log flush).</summary>
    public const int SqliteIoErrorCode = SqliteIoError;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    // Not an error the server reported: the connection failed (refused, reset, timed out, pool exhausted).
                    return true;
                case SqliteException sqlite:
                    return (sqlite.SqliteExtendedErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCantOpen
                        || sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCantOpen;
                case SocketException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SQLSTATEs that mean the server cannot serve now, not that the statement is wrong: class 08 (connection exceptions),
    /// 57P01..57P03 (admin or crash shutdown, cannot connect now: a restart), 53 (insufficient resources: disk full, out of
    /// memory, too many connections), 58 (system errors: I/O), 25006 (a read-only standby, e.g. during a fail-over).
    /// Serialization failures and deadlocks (40001, 40P01) are not outages and stay with whoever handles concurrency.
    /// </summary>
    public static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.ReadOnlySqlTransaction;
}
