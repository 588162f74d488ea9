using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>
/// A complete, immutable copy of what verifying every registered MPN ID answers, read in one pass over the database (one read
/// transaction, so one consistent state). A lookup is one probe of an open-addressing hash table of integer keys (linear
/// probing, at most seven tenths full), each 8-byte slot holding its key and its account; the account's record (its id and where its
/// name is) and its UTF-8 name are the only other memory a lookup touches: three cache lines, where a binary search over
/// two million keys touched a dozen (ADR 0005, third amendment). About 40 bytes per MPN ID: 80 MB for a million partners
/// with a location each.
/// <para>
/// <see cref="Generation"/> is the directory's invalidation count read before the pass began: an invalidation counted after it
/// may concern a change the pass did not see, so the directory does not answer that ID (or account) from this copy.
/// </para>
/// </summary>
public sealed class MpnSnapshot
{
    internal const string CountAccounts = """SELECT COUNT(*) FROM "Accounts" """;
    internal const string CountRegistrations = """SELECT COUNT(*) FROM "MpnRegistrations" """;
    internal const string SelectAccounts = """SELECT "Id", "Status" FROM "Accounts" """;
    internal const string SelectNames = """SELECT "AccountId", "CompanyName" FROM "LegalBusinessProfiles" """;
    /// <summary>Each ID, its account, and whether it is current (the account's global ID, or its location still exists).</summary>
    internal const string SelectRegistrations =
        """
        SELECT r."MpnId", r."AccountId", (r."LocationId" IS NULL OR l."Id" IS NOT NULL)
        FROM "MpnRegistrations" AS r LEFT JOIN "Locations" AS l ON l."Id" = r."LocationId"
        """;
    private const string Active = nameof(Domain.Accounts.AccountStatus.Active);
    private static readonly byte[] ActiveUtf8 = Encoding.UTF8.GetBytes(Active);

    /// <summary>The most accounts a copy holds (a slot keeps the account's index in 24 bits); a larger directory has none.</summary>
    internal const int MaxAccounts = 1 << 24;

    /// <summary>Slots per registered ID, at least (the table is at most this full: 1 / 1.43 = 0.7).</summary>
    private const double SlotsPerId = 1.43;

    private readonly Slot[] _slots;
    private readonly int _count;
    private readonly AccountRecord[] _accounts;
    private readonly bool[] _active;
    private readonly byte[] _names;
    private long _takenAt;
    private int _readers;
    private int _retired;
    private int _reclaimed;

    private MpnSnapshot(Slot[] slots, int count, AccountRecord[] accounts, bool[] active, byte[] names, long generation, long takenAt)
    {
        (_slots, _count, _accounts, _active, _names) = (slots, count, accounts, active, names);
        Generation = generation;
        _takenAt = takenAt;
    }

    /// <summary>How many MPN IDs the copy holds.</summary>
    public int Count => _count;

    /// <summary>The directory's invalidation count before the pass began.</summary>
    public long Generation { get; }

    /// <summary>
    /// When the pass began (<see cref="Environment.TickCount64"/>): the copy is as old as that; later, when the database was last
    /// found unchanged since the pass (<see cref="Renew"/>).
    /// </summary>
    public long TakenAt => Volatile.Read(ref _takenAt);

    /// <summary>What the source noted to tell later whether the directory changed since this pass (SQLite: <see cref="MpnDirectoryVersion"/>).</summary>
    internal long? SourceVersion { get; private set; }

    /// <summary>The database has not changed since the pass (nobody committed anything): the copy is as fresh as <paramref name="checkedAt"/>.</summary>
    internal void Renew(long checkedAt) => Volatile.Write(ref _takenAt, checkedAt);

    /// <summary>
    /// Whether the ID is registered, and if so its account and what it verifies as (null: a retired location ID, or an account
    /// that is closed or has no legal profile).
    /// </summary>
    public bool TryFind(long key, out Guid accountId, out string? partnerName)
    {
        var slots = _slots;
        var index = SlotOf(key, slots.Length);
        while (slots[index].Key != key)
        {
            if (slots[index].IsEmpty)
            {
                accountId = Guid.Empty;
                partnerName = null;
                return false;
            }

            index = index + 1 == slots.Length ? 0 : index + 1;
        }

        var slot = slots[index];
        ref readonly var account = ref _accounts[slot.Account];
        accountId = account.Id;
        partnerName = !slot.IsCurrent || account.NameLength == 0 ? null : Encoding.UTF8.GetString(_names, account.NameStart, account.NameLength);
        return true;
    }

    /// <summary>
    /// The first slot to look in for <paramref name="key"/>: Fibonacci hashing (the key times 2^64 / φ, whose high bits are
    /// spread evenly even for consecutive IDs), scaled to the table's length without a division.
    /// </summary>
    private static int SlotOf(long key, int length) => (int)Math.BigMul(unchecked((ulong)key * 0x9E3779B97F4A7C15UL), (ulong)length, out _);

    /// <summary>
    /// Starts a read of a copy the directory may replace meanwhile: false when it was replaced already (its arrays may be filled
    /// by the next pass: do not read it). A true one is ended with <see cref="Exit"/>.
    /// </summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _readers);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _readers);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _readers);

    /// <summary>The directory replaced this copy: no new read starts (<see cref="TryEnter"/>).</summary>
    internal void Retire() => Interlocked.Exchange(ref _retired, 1);

    /// <summary>
    /// Whether the next pass may fill this copy's arrays again: it was retired, no read is under way (one that starts now sees it
    /// retired and does not read), and its arrays were not handed out before. A pass that reads a million IDs every few seconds
    /// then allocates nothing large after its second pass, instead of leaving a copy's worth of large arrays to the collector
    /// each time.
    /// </summary>
    internal bool TryReclaim() =>
        Volatile.Read(ref _retired) == 1 && Volatile.Read(ref _readers) == 0 && Interlocked.Exchange(ref _reclaimed, 1) == 0;

    /// <summary>A copy of the given rows (what <see cref="IMpnLookupSource.FindAsync"/> would answer for each ID).</summary>
    public static MpnSnapshot FromRows(IReadOnlyCollection<KeyValuePair<string, MpnRow>> rows, long generation)
    {
        var takenAt = Environment.TickCount64;
        var builder = new Builder(rows.Count, rows.Count, recycled: null);
        foreach (var (_, row) in rows)
        {
            builder.AddAccount(row.AccountId, row.IsActive);
            if (row.PartnerName is { } name)
            {
                builder.SetName(row.AccountId, Encoding.UTF8.GetBytes(name));
            }
        }

        foreach (var (mpnId, row) in rows)
        {
            builder.AddRegistration(MpnDirectory.KeyOf(mpnId), row.AccountId, row.IsCurrent);
        }

        return builder.Build(generation, takenAt);
    }

    /// <summary>
    /// PostgreSQL: reads the copy inside <paramref name="transaction"/> (a repeatable-read transaction: every query sees one
    /// state), or returns null when more than <paramref name="capacity"/> MPN IDs are registered.
    /// </summary>
    internal static async Task<MpnSnapshot?> ReadAsync(
        DbTransaction transaction, int capacity, long generation, long takenAt, MpnSnapshot? recycled, CancellationToken cancellationToken)
    {
        var registered = await CountAsync(transaction, CountRegistrations, cancellationToken);
        var accounts = await CountAsync(transaction, CountAccounts, cancellationToken);
        if (registered > capacity || accounts > MaxAccounts)
        {
            return null;
        }

        var builder = new Builder(accounts, registered, recycled);
        await ReadRowsAsync(transaction, SelectAccounts, row => builder.AddAccount(row.GetGuid(0), row.GetString(1) == Active), cancellationToken);
        await ReadRowsAsync(transaction, SelectNames, row => builder.SetName(row.GetGuid(0), Encoding.UTF8.GetBytes(row.GetString(1))), cancellationToken);
        await ReadRowsAsync(transaction, SelectRegistrations,
            row => builder.AddRegistration(MpnDirectory.KeyOf(row.GetString(0)), row.GetGuid(1), row.GetBoolean(2)), cancellationToken);
        return builder.Build(generation, takenAt);
    }

    /// <summary>
    /// SQLite: the connection the passes read on, read-only and without its mutex (SQLITE_OPEN_NOMUTEX: only one pass uses it at
    /// a time), so the millions of column reads of a pass do not each lock and unlock it.
    /// </summary>
    internal static sqlite3 OpenForPasses(string dataSource)
    {
        var flags = raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX
            | (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? raw.SQLITE_OPEN_URI : 0);
        var rc = raw.sqlite3_open_v2(dataSource, out var db, flags, null);
        try
        {
            Check(db, rc);
            Check(db, raw.sqlite3_busy_timeout(db, 5000));
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>SQLite: the directory's version (<see cref="MpnDirectoryVersion"/>) as <paramref name="db"/> sees it now.</summary>
    internal static long DirectoryVersion(sqlite3 db) => ReadInt64(db, MpnDirectoryVersion.Select);

    /// <summary>
    /// SQLite: the same pass in one deferred transaction (a WAL reader: one state, no writer blocked), its first read the
    /// directory's version, so the copy knows the version of the very state it holds. Rows are read through the SQLite
    /// statements themselves: identifiers are stored as text there, and parsing them from the row's own bytes instead of a
    /// string each keeps the pass short.
    /// </summary>
    internal static MpnSnapshot? ReadInTransaction(sqlite3 db, int capacity, long generation, long takenAt, MpnSnapshot? recycled)
    {
        Check(db, raw.sqlite3_exec(db, "BEGIN DEFERRED"));
        try
        {
            var version = DirectoryVersion(db);
            var copy = Read(db, capacity, generation, takenAt, recycled);
            if (copy is not null)
            {
                copy.SourceVersion = version;
            }

            return copy;
        }
        finally
        {
            raw.sqlite3_exec(db, "ROLLBACK");
        }
    }

    private static MpnSnapshot? Read(sqlite3 db, int capacity, long generation, long takenAt, MpnSnapshot? recycled)
    {
        var registered = (int)ReadInt64(db, CountRegistrations);
        var accounts = ReadInt64(db, CountAccounts);
        if (registered > capacity || accounts > MaxAccounts)
        {
            return null;
        }

        var builder = new Builder((int)accounts, registered, recycled);
        Step(db, SelectAccounts, row => builder.AddAccount(GuidAt(row, 0), raw.sqlite3_column_blob(row, 1).SequenceEqual(ActiveUtf8)));
        Step(db, SelectNames, row => builder.SetName(GuidAt(row, 0), raw.sqlite3_column_blob(row, 1)));
        Step(db, SelectRegistrations, row => builder.AddRegistration(
            MpnDirectory.KeyOf(raw.sqlite3_column_blob(row, 0)), GuidAt(row, 1), raw.sqlite3_column_int(row, 2) != 0));
        return builder.Build(generation, takenAt);
    }

    private delegate void RowReader(sqlite3_stmt row);

    /// <summary>The first column of the last row <paramref name="sql"/> returns (a count, a version).</summary>
    private static long ReadInt64(sqlite3 db, string sql)
    {
        long count = 0;
        Step(db, sql, row => count = raw.sqlite3_column_int64(row, 0));
        return count;
    }

    private static void Step(sqlite3 db, string sql, RowReader read)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                read(statement);
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
        }
    }

    private static Guid GuidAt(sqlite3_stmt row, int column) =>
        Guid.TryParse(raw.sqlite3_column_blob(row, column), out var id) ? id : Guid.Empty;

    private static async Task<int> CountAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ReadRowsAsync(DbTransaction transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    /// <summary>
    /// Collects accounts, their names and the registrations, then sorts the keys once. Fills the arrays of a reclaimed copy
    /// (<see cref="TryReclaim"/>) where they are large enough, else new ones (with a little room, so the next pass fits too).
    /// </summary>
    private sealed class Builder
    {
        /// <summary>
        /// The account index of the last pass, emptied and used again (a million accounts make it about 32 MB, which a pass
        /// every few seconds would otherwise leave to the collector each time); a pass running meanwhile makes its own.
        /// </summary>
        private static Dictionary<Guid, int>? s_spareIndex;

        private readonly Dictionary<Guid, int> _accountIndex;
        private readonly AccountRecord[] _accounts;
        private readonly bool[] _active;
        private readonly Slot[] _slots;
        private readonly int _registrations;
        private byte[] _names;
        private int _namesLength;
        private int _accountCount;
        private int _count;

        public Builder(int accounts, int registrations, MpnSnapshot? recycled)
        {
            _accountIndex = Interlocked.Exchange(ref s_spareIndex, null) ?? new Dictionary<Guid, int>(accounts);
            _accountIndex.EnsureCapacity(accounts);
            _accounts = Fit(recycled?._accounts, accounts);
            _active = Fit(recycled?._active, accounts);
            _registrations = registrations;
            _slots = Fit(recycled?._slots, Math.Max(16, (int)Math.Ceiling(registrations * SlotsPerId)));
            if (ReferenceEquals(_slots, recycled?._slots))
            {
                Array.Clear(_slots);
            }
            _names = recycled?._names is { } names && names.Length >= accounts * 20 ? names : new byte[Math.Max(1024, accounts * 24)];
        }

        public void AddAccount(Guid accountId, bool isActive)
        {
            // The counts read first bound the rows taken (a read transaction sees no others; the test copy may repeat an account).
            if (_accountCount < _accounts.Length && _accountIndex.TryAdd(accountId, _accountCount))
            {
                _accounts[_accountCount] = new AccountRecord(accountId, 0, 0);
                _active[_accountCount] = isActive;
                _accountCount++;
            }
        }

        public void SetName(Guid accountId, ReadOnlySpan<byte> utf8)
        {
            if (!_accountIndex.TryGetValue(accountId, out var index))
            {
                return;
            }

            if (_namesLength + utf8.Length > _names.Length)
            {
                Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesLength + utf8.Length));
            }

            utf8.CopyTo(_names.AsSpan(_namesLength));
            _accounts[index] = new AccountRecord(accountId, _namesLength, utf8.Length);
            _namesLength += utf8.Length;
        }

        /// <summary>Puts the ID in its slot (an ID registered twice keeps its first row; the database's unique index allows none).</summary>
        public void AddRegistration(long? key, Guid accountId, bool isCurrent)
        {
            if (key is not { } value || _count >= _registrations || !_accountIndex.TryGetValue(accountId, out var account))
            {
                return;
            }

            var index = SlotOf(value, _slots.Length);
            while (!_slots[index].IsEmpty)
            {
                if (_slots[index].Key == value)
                {
                    return;
                }

                index = index + 1 == _slots.Length ? 0 : index + 1;
            }

            _slots[index] = new Slot(value, account, isCurrent);
            _count++;
        }

        /// <summary>The copy: an account that does not verify (closed, or without a legal profile) keeps no name.</summary>
        public MpnSnapshot Build(long generation, long takenAt)
        {
            for (var i = 0; i < _accountCount; i++)
            {
                if (!_active[i])
                {
                    _accounts[i] = _accounts[i] with { NameLength = 0 };
                }
            }

            _accountIndex.Clear();
            Interlocked.Exchange(ref s_spareIndex, _accountIndex);
            return new MpnSnapshot(_slots, _count, _accounts, _active, _names, generation, takenAt);
        }

        /// <summary>The recycled array when it holds <paramref name="length"/> items, else a new one with a sixteenth more room.</summary>
        private static T[] Fit<T>(T[]? recycled, int length) =>
            recycled is not null && recycled.Length >= length ? recycled : new T[length + (length / 16)];
    }

    /// <summary>
    /// One slot of the table, 8 bytes: the key in the high 39 bits (an ID of up to 10 digits and its length need 38), the
    /// account's index in the next 24, and whether the ID is current in the lowest. 0 is an empty slot:
    /// <see cref="MpnDirectory.KeyOf(string)"/> never makes 0 (its low bits hold the ID's length).
    /// </summary>
    private readonly struct Slot(long key, int account, bool isCurrent)
    {
        private readonly ulong _bits = ((ulong)key << 25) | ((ulong)account << 1) | (isCurrent ? 1UL : 0UL);

        public bool IsEmpty => _bits == 0;

        public long Key => (long)(_bits >> 25);

        public int Account => (int)((_bits >> 1) & (MaxAccounts - 1));

        public bool IsCurrent => (_bits & 1) != 0;
    }

    /// <summary>An account's id and where its UTF-8 name is in the names buffer (length 0: it does not verify).</summary>
    private readonly record struct AccountRecord(Guid Id, int NameStart, int NameLength);
}
