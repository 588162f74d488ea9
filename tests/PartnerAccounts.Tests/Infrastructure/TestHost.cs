using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests;

/// <summary>Starts the API once for every HTTP test in this namespace tree and disposes it at the end.</summary>
[SetUpFixture]
public sealed class TestHost
{
    private static ApiFactory? _factory;
    private static TestDatabase? _database;

    public static ApiFactory Factory => _factory ?? throw new InvalidOperationException("The test host is not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = TestDatabase.Sqlite();
        TestContext.Progress.WriteLine($"HTTP tests run against: {_database.Description}");
        _factory = new ApiFactory(_database);
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
