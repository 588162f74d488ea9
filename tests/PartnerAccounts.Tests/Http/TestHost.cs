using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>Starts the API once for every HTTP test of the run (this namespace and below), on the engine <c>TEST_DB</c> names, and disposes it at the end.</summary>
[SetUpFixture]
public sealed class TestHost
{
    private static ApiFactory? _factory;
    private static TestDatabase? _database;

    public static ApiFactory Factory => _factory ?? throw new InvalidOperationException("The test host is not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var (database, unavailable) = await TestDatabase.StartAsync();
        if (database is null)
        {
            if (TestDatabase.DatabaseRequired)
            {
                Assert.Fail("REQUIRE_DB=1: " + unavailable);
            }

            Assert.Ignore(unavailable ?? "no database");
        }

        _database = database;
        TestContext.Progress.WriteLine($"Tests run against: {database!.Description}");
        _factory = new ApiFactory(database);
        using var warmUp = _factory.CreateClient();
        await warmUp.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
