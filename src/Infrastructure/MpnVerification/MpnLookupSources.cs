using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>
/// What the database says about one MPN ID: its account, whether the ID is current (the account's global ID, or the ID of a
/// location that still exists; a deleted location's ID stays registered so it is never reissued, but no longer verifies),
/// whether the account is active, and its legal company name.
/// </summary>
public readonly record struct MpnRow(Guid AccountId, bool IsCurrent, bool IsActive, string? PartnerName);

public interface IMpnLookupSource
{
    ValueTask<MpnRow?> FindAsync(string mpnId, CancellationToken cancellationToken);

    /// <summary>
    /// Every registered MPN ID in one read (<see cref="MpnSnapshot"/>), or null when more than <paramref name="capacity"/> are;
    /// into the arrays of <paramref name="recycled"/> (a copy reclaimed by <see cref="MpnSnapshot.TryReclaim"/>) where they fit.
    /// </summary>
    Task<MpnSnapshot?> ReadSnapshotAsync(int capacity, long generation, MpnSnapshot? recycled, CancellationToken cancellationToken);

    /// <summary>
    /// Whether what <paramref name="copy"/> holds certainly has not changed since it was read (no change to the directory was
    /// committed since its pass, whatever else was): then the copy is renewed instead of read again. False when the source
    /// cannot tell.
    /// </summary>
    ValueTask<bool> IsUnchangedSinceAsync(MpnSnapshot copy, CancellationToken cancellationToken);
}

/// <summary>The one query, identical for both providers (quoted identifiers, <c>@</c> parameter). Every join is on a primary key.</summary>
internal static class MpnLookupSql
{
    public const string Parameter = "@mpnId";

    public const string Select =
        """
        SELECT r."AccountId", (r."LocationId" IS NULL OR l."Id" IS NOT NULL), a."Status", p."CompanyName"
        FROM "MpnRegistrations" AS r
        INNER JOIN "Accounts" AS a ON a."Id" = r."AccountId"
        LEFT JOIN "LegalBusinessProfiles" AS p ON p."AccountId" = r."AccountId"
        LEFT JOIN "Locations" AS l ON l."Id" = r."LocationId"
        WHERE r."MpnId" = @mpnId
        """;

    public static MpnRow? Read(DbDataReader reader)
    {
        if (!reader.Read())
        {
            return null;
        }

        var isActive = reader.GetString(2) == nameof(Domain.Accounts.AccountStatus.Active) && !reader.IsDBNull(3);
        return new MpnRow(reader.GetGuid(0), reader.GetBoolean(1), isActive, reader.IsDBNull(3) ? null : reader.GetString(3));
    }
}

/// <summary>
/// SQLite: a pool of open read-only connections, each with the lookup statement prepared once, rented for one lookup (the
/// pool grows to the peak number of concurrent lookups, which is about the number of cores: SQLite calls are synchronous).
/// No memory-mapping: mapped pages of a large file would count towards the process's resident memory.
/// </summary>
public sealed class SqliteMpnLookupSource : IMpnLookupSource, IDisposable
{
    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly ConcurrentBag<Lease> _free = [];
    private SQLitePCL.sqlite3? _passes;

    public SqliteMpnLookupSource(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        _connectionString = builder.ToString();
        _dataSource = builder.DataSource;
        SQLitePCL.Batteries_V2.Init(); // what SqliteConnection does first: the copy's pass opens its connection through SQLitePCL
    }

    public ValueTask<MpnRow?> FindAsync(string mpnId, CancellationToken cancellationToken)
    {
        var lease = _free.TryTake(out var free) ? free : new Lease(_connectionString);
        MpnRow? row;
        try
        {
            row = lease.Find(mpnId);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        _free.Add(lease);
        return ValueTask.FromResult(row);
    }

    /// <summary>
    /// On a read-only connection of its own, kept open between passes (<see cref="MpnSnapshot"/>: one deferred transaction, no
    /// writer blocked). The directory's version (<see cref="MpnDirectoryVersion"/>), read first in the pass's transaction, tells
    /// later whether anything the copy holds was changed since. Passes are one at a time (the directory's), so the connection is
    /// never used by two threads at once.
    /// </summary>
    public Task<MpnSnapshot?> ReadSnapshotAsync(int capacity, long generation, MpnSnapshot? recycled, CancellationToken cancellationToken)
    {
        var takenAt = Environment.TickCount64;
        try
        {
            _passes ??= MpnSnapshot.OpenForPasses(_dataSource);
            return Task.FromResult(MpnSnapshot.ReadInTransaction(_passes, capacity, generation, takenAt, recycled));
        }
        catch
        {
            ClosePasses();
            throw;
        }
    }

    /// <summary>The directory's version now is the one the copy's pass read: no change to it was committed since.</summary>
    public ValueTask<bool> IsUnchangedSinceAsync(MpnSnapshot copy, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(_passes is { } db && copy.SourceVersion is { } version && MpnSnapshot.DirectoryVersion(db) == version);
        }
        catch
        {
            ClosePasses();
            throw;
        }
    }

    private void ClosePasses()
    {
        _passes?.Dispose();
        _passes = null;
    }

    public void Dispose()
    {
        ClosePasses();
        while (_free.TryTake(out var lease))
        {
            lease.Dispose();
        }
    }

    private sealed class Lease : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _mpnId;

        public Lease(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _command = _connection.CreateCommand();
            _command.CommandText = MpnLookupSql.Select;
            _mpnId = _command.Parameters.Add(MpnLookupSql.Parameter, SqliteType.Text);
            _mpnId.Value = string.Empty;
            _command.Prepare();
        }

        public MpnRow? Find(string mpnId)
        {
            _mpnId.Value = mpnId;
            using var reader = _command.ExecuteReader(CommandBehavior.SingleRow);
            return MpnLookupSql.Read(reader);
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}

/// <summary>
/// PostgreSQL: a connection per lookup from the node's one data source (<c>PostgresDataSource</c>, also registered under
/// <see cref="MpnVerificationDataSource"/>'s key for the budget store); the prepared statement persists on the physical connection.
/// </summary>
public sealed class PostgresMpnLookupSource(NpgsqlDataSource dataSource) : IMpnLookupSource
{
    public async ValueTask<MpnRow?> FindAsync(string mpnId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(MpnLookupSql.Select, connection);
        command.Parameters.Add(new NpgsqlParameter(MpnLookupSql.Parameter, NpgsqlTypes.NpgsqlDbType.Text) { Value = mpnId });
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        return MpnLookupSql.Read(reader);
    }

    /// <summary>
    /// PostgreSQL cannot tell cheaply and safely (see the <c>MpnDirectoryVersion</c> migration): every pass reads the directory.
    /// </summary>
    public ValueTask<bool> IsUnchangedSinceAsync(MpnSnapshot copy, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>In one repeatable-read transaction: every query of the pass sees the same state.</summary>
    public async Task<MpnSnapshot?> ReadSnapshotAsync(int capacity, long generation, MpnSnapshot? recycled, CancellationToken cancellationToken)
    {
        var takenAt = Environment.TickCount64;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        return await MpnSnapshot.ReadAsync(transaction, capacity, generation, takenAt, recycled, cancellationToken);
    }
}

/// <summary>The one Npgsql data source of MPN verification (lookups and budget counts): one DI key to point at a shared one.</summary>
public static class MpnVerificationDataSource
{
    public const string ServiceKey = "mpn-verification";
}
