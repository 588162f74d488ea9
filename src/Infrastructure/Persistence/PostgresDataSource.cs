using System.Data.Common;
using Npgsql;

namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>
/// The one Npgsql data source (connection pool) of a node, shared by EF Core, the MPN lookup, the cache change feed and its
/// listener. The connection string is the operator's; the resilience settings below apply where it does not name them
/// (docs/adr/0010-scale-out.md, README "Running several nodes"):
/// <list type="bullet">
/// <item><c>Timeout=5</c>: opening a connection to a server that is down fails in 5 s (Npgsql: 15), so a request during an
/// outage is a prompt 503, not a hang;</item>
/// <item><c>Command Timeout=30</c>: Npgsql's default, written down;</item>
/// <item><c>Keepalive=10</c>: an idle connection (the listener's) is probed every 10 s, so a dead server or a dropped network
/// path is noticed and the listener reconnects;</item>
/// <item><c>Maximum Pool Size=50</c> (Npgsql: 100): at most this many connections per node; size PostgreSQL's
/// <c>max_connections</c> as nodes x this + the listener's is included + headroom;</item>
/// <item><c>Minimum Pool Size=0</c>, <c>Connection Idle Lifetime=60</c>: idle connections are closed after a minute.</item>
/// </list>
/// </summary>
public static class PostgresDataSource
{
    public const int DefaultMaxPoolSize = 50;

    private static readonly (string[] Names, string Value)[] Defaults =
    [
        (["Timeout"], "5"),
        (["Command Timeout", "CommandTimeout"], "30"),
        (["Keepalive"], "10"),
        (["Maximum Pool Size", "MaxPoolSize"], DefaultMaxPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        (["Minimum Pool Size", "MinPoolSize"], "0"),
        (["Connection Idle Lifetime", "ConnectionIdleLifetime"], "60"),
    ];

    public static NpgsqlDataSource Create(string connectionString) => new NpgsqlDataSourceBuilder(WithDefaults(connectionString)).Build();

    /// <summary>The connection string with the service's resilience settings added where it names none of its own.</summary>
    public static string WithDefaults(string connectionString)
    {
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var present = named.Keys.Cast<string>().Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var (names, value) in Defaults)
        {
            if (!names.Any(name => present.Contains(Normalize(name))))
            {
                builder[names[0]] = value;
            }
        }

        return builder.ConnectionString;
    }

    private static string Normalize(string keyword) => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
