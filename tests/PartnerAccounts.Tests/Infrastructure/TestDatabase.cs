namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>The database engine a test run uses. SQLite is a fresh file per run.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _file;

    private TestDatabase(string provider, string connectionString, string description, string? file)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
        _file = file;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Which server the run used, for the test log.</summary>
    public string Description { get; }

    public static TestDatabase Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"partneraccounts-tests-{Guid.NewGuid():N}.db");
        return new TestDatabase("Sqlite", $"Data Source={file}", $"SQLite file {file}", file);
    }

    public ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }

        return ValueTask.CompletedTask;
    }
}
