using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>The API in-process on a test database. One factory serves a whole test run; tests isolate by creating their own accounts and users.</summary>
public sealed class ApiFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789";

    /// <summary>The browser origin the shared host allows (Cors:AllowedOrigins), for the CORS tests.</summary>
    public const string AllowedOrigin = "https://app.partneraccounts.test";

    public TestDatabase Database { get; } = database;

    public IConfiguration Configuration => Services.GetRequiredService<IConfiguration>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:PartnerAccounts", Database.ConnectionString);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Auth:Issuer", "partneraccounts");
        builder.UseSetting("Auth:Audience", "partneraccounts-api");
        builder.UseSetting("Cors:AllowedOrigins:0", AllowedOrigin);

        // Every HTTP test shares this host (and, in-process, one client address): the production sign-in limit of 10 a
        // minute would throttle the suite. The limiter itself is tested on a host of its own.
        builder.UseSetting("RateLimits:SignIn:PermitLimit", "100000");

        // Events are written by every change, but only the webhook tests' own host runs the delivery worker: the generated tests
        // compare stored rows before and after a request, and a worker publishing events meanwhile would change them.
        builder.UseSetting("Webhooks:WorkerEnabled", "false");
    }
}
