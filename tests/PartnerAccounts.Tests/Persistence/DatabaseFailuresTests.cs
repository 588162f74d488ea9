using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Tests.Persistence;

/// <summary>Which database errors are outages (503 service_unavailable) and which stay bugs (500): the classification is precise.</summary>
public sealed class DatabaseFailuresTests
{
    private static PostgresException Postgres(string sqlState) => new("server says no", "FATAL", "FATAL", sqlState);

    [TestCase("57P01", TestName = "IsUnavailable_WhenTheServerIsShuttingDown_ShouldBeTrue")]
    [TestCase("57P03", TestName = "IsUnavailable_WhenTheServerCannotAcceptConnectionsYet_ShouldBeTrue")]
    [TestCase("08006", TestName = "IsUnavailable_WhenTheConnectionFailed_ShouldBeTrue")]
    [TestCase("53300", TestName = "IsUnavailable_WhenThereAreTooManyConnections_ShouldBeTrue")]
    [TestCase("53100", TestName = "IsUnavailable_WhenTheServerDiskIsFull_ShouldBeTrue")]
    [TestCase("25006", TestName = "IsUnavailable_WhenTheServerIsAReadOnlyStandby_ShouldBeTrue")]
    public void IsUnavailable_ForOutageStates(string sqlState) =>
        Assert.That(DatabaseFailures.IsUnavailable(new DbUpdateException("save failed", Postgres(sqlState))), Is.True);

    [TestCase("42P01", TestName = "IsUnavailable_WhenATableIsMissing_ShouldBeFalse")]
    [TestCase("23505", TestName = "IsUnavailable_WhenAUniqueConstraintIsViolated_ShouldBeFalse")]
    [TestCase("42601", TestName = "IsUnavailable_WhenTheSqlIsWrong_ShouldBeFalse")]
    [TestCase("40001", TestName = "IsUnavailable_WhenASerializationFailureHappens_ShouldBeFalse")]
    public void IsUnavailable_ForBugsAndConflicts(string sqlState) =>
        Assert.That(DatabaseFailures.IsUnavailable(new DbUpdateException("save failed", Postgres(sqlState))), Is.False);

    [Test]
    public void IsUnavailable_WhenTheServerRefusesTheConnection_ShouldBeTrue() =>
        Assert.That(DatabaseFailures.IsUnavailable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))), Is.True);

    [Test]
    public void IsUnavailable_WhenEfCoreWrapsATransientFailure_ShouldLookAtTheInnerException() =>
        Assert.That(DatabaseFailures.IsUnavailable(new InvalidOperationException("transient", new NpgsqlException("read", new IOException("reset")))), Is.True);

    [TestCase(13, TestName = "IsUnavailable_WhenTheSqliteDiskIsFull_ShouldBeTrue")]
    [TestCase(8, TestName = "IsUnavailable_WhenTheSqliteFileIsReadOnly_ShouldBeTrue")]
    [TestCase(10, TestName = "IsUnavailable_WhenSqliteHasAnIoError_ShouldBeTrue")]
    [TestCase(14, TestName = "IsUnavailable_WhenSqliteCannotOpenTheFile_ShouldBeTrue")]
    [TestCase(5, TestName = "IsUnavailable_WhenSqliteStaysBusyPastTheTimeout_ShouldBeTrue")]
    public void IsUnavailable_ForSqliteOutages(int code) =>
        Assert.That(DatabaseFailures.IsUnavailable(new DbUpdateException("save failed", new SqliteException("sqlite says no", code))), Is.True);

    [TestCase(19, TestName = "IsUnavailable_WhenASqliteConstraintFails_ShouldBeFalse")]
    [TestCase(1, TestName = "IsUnavailable_WhenSqliteReportsAnSqlError_ShouldBeFalse")]
    public void IsUnavailable_ForSqliteBugs(int code) =>
        Assert.That(DatabaseFailures.IsUnavailable(new SqliteException("sqlite says no", code)), Is.False);

    [Test]
    public void IsUnavailable_ForAnOrdinaryBug_ShouldBeFalse() =>
        Assert.That(DatabaseFailures.IsUnavailable(new InvalidOperationException("Sequence contains no elements")), Is.False);

    [Test]
    public void WithDefaults_ShouldAddTheResilienceSettingsButKeepTheOperatorsOwn()
    {
        var connectionString = PostgresDataSource.WithDefaults("Host=db;Username=app;Password=secret;Maximum Pool Size=7;Timeout=9");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        Assert.Multiple(() =>
        {
            Assert.That(builder.MaxPoolSize, Is.EqualTo(7), "the operator's pool size wins");
            Assert.That(builder.Timeout, Is.EqualTo(9), "the operator's connect timeout wins");
            Assert.That(builder.KeepAlive, Is.EqualTo(10));
            Assert.That(builder.CommandTimeout, Is.EqualTo(30));
            Assert.That(builder.ConnectionIdleLifetime, Is.EqualTo(60));
            Assert.That(new NpgsqlConnectionStringBuilder(PostgresDataSource.WithDefaults("Host=db")).MaxPoolSize, Is.EqualTo(PostgresDataSource.DefaultMaxPoolSize));
        });
    }
}
