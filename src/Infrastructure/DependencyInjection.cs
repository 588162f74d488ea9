using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.ApiKeys;
using PartnerAccounts.Infrastructure.Audit;
using PartnerAccounts.Infrastructure.Caching;
using PartnerAccounts.Infrastructure.DataProtection;
using PartnerAccounts.Infrastructure.MpnVerification;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Infrastructure.Services;
using PartnerAccounts.Infrastructure.Webhooks;

namespace PartnerAccounts.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DependencyInjection
{
    public const string ConnectionStringName = "PartnerAccounts";
    public const string DefaultSqliteConnectionString = "Data Source=data/partneraccounts.db";

    /// <summary>The provider named by <c>Database:Provider</c> (default Sqlite); anything else is a start-up error, never a silent fallback.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{name}' is not supported; use Sqlite or Postgres.");
    }

    /// <param name="isProduction">Production refuses to start with a Data Protection key ring that is not protected at rest.</param>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, bool isProduction = false)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(connectionString ?? DefaultSqliteConnectionString, configuration["contentRoot"]);
                // Each scope's context runs on one open connection leased for the whole scope (SqliteConnections).
                services.AddSingleton(_ => new SqliteConnections(sqlite));
                services.AddScoped<SqliteConnectionLease>();
                // Contexts are pooled (built once, reset between requests); each request's context runs on its scope's connection.
                // SetDbConnection skips EF Core's decimal SQL functions: the model holds no decimal (MigrationsTests).
                services.AddPooledDbContextFactory<SqliteAppDbContext>((sp, o) => o
                    .UseSqlite()
                    .AddInterceptors(sp.GetRequiredService<CacheInvalidationInterceptor>(), sp.GetRequiredService<EventOutboxInterceptor>(), new SqliteDurabilityInterceptor()));
                services.AddScoped(sp =>
                {
                    var connection = sp.GetRequiredService<SqliteConnectionLease>().Connection;
                    var context = sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext();
                    context.Database.SetDbConnection(connection, contextOwnsConnection: false);
                    return new ScopedAppDbContext(context);
                });
                services.AddSingleton<IMpnLookupSource>(_ => new SqliteMpnLookupSource(sqlite));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:PartnerAccounts is not set.");
                }

                services.AddPostgresScaleOut(connectionString);
                services.AddPooledDbContextFactory<PostgresAppDbContext>((sp, o) => o
                    .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
                    .AddInterceptors(sp.GetRequiredService<CacheInvalidationInterceptor>(), sp.GetRequiredService<EventOutboxInterceptor>()));
                services.AddScoped(sp => new ScopedAppDbContext(sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext()));
                services.AddKeyedSingleton(MpnVerificationDataSource.ServiceKey, (sp, _) => sp.GetRequiredService<NpgsqlDataSource>());
                services.AddSingleton<IMpnLookupSource>(sp => new PostgresMpnLookupSource(sp.GetRequiredKeyedService<NpgsqlDataSource>(MpnVerificationDataSource.ServiceKey)));
                services.AddSingleton<IVerificationBudgetStore>(sp => new PostgresVerificationBudgetStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(MpnVerificationDataSource.ServiceKey)));
                break;
        }

        // A pooled context is resolved under two types and so disposed twice by its scope: only its holder gives it back (ScopedAppDbContext).
        services.AddScoped(sp => sp.GetRequiredService<ScopedAppDbContext>().Context);
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddSingleton<IClock, SystemClock>();
        services.AddScoped<IMpnIdIssuer, RandomMpnIdIssuer>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<Idempotency.IdempotencyStore>();
        services.AddHostedService<Idempotency.IdempotencyCleanup>();
        services.AddSingleton<IContinuationTokens, DataProtectionContinuationTokens>();
        services.AddMpnVerificationCaches(configuration);
        services.AddWebhooks(configuration);
        services.AddProtectedKeyRing(configuration, isProduction);
        services.AddAuditRetention(configuration);
        return services;
    }

    /// <summary>The verification caches, the interceptor and feed that invalidate them, and the background writer of API key uses.</summary>
    private static void AddMpnVerificationCaches(this IServiceCollection services, IConfiguration configuration)
    {
        // A negative capacity is refused on start (the host's start-up validation).
        var capacity = Math.Max(0, configuration.GetValue("MpnVerification:CacheCapacity", MpnDirectoryOptions.DefaultCapacity));
        var snapshotCapacity = Math.Max(0, configuration.GetValue("MpnVerification:SnapshotCapacity", MpnDirectoryOptions.DefaultSnapshotCapacity));

        var maxAge = configuration.GetValue("Caching:MaxAgeSeconds", MpnDirectoryOptions.DefaultMaxAge.TotalSeconds);
        if (maxAge is <= 0 or > 3600)
        {
            throw new InvalidOperationException("Caching:MaxAgeSeconds must be more than 0 and at most 3600.");
        }

        services.AddSingleton(new MpnDirectoryOptions { CacheCapacity = capacity, SnapshotCapacity = snapshotCapacity, MaxAge = TimeSpan.FromSeconds(maxAge) });
        services.AddSingleton<MpnDirectory>();
        services.AddSingleton<IMpnDirectory>(sp => sp.GetRequiredService<MpnDirectory>());
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyDirectory>());
        services.AddSingleton<CacheInvalidator>();
        services.AddSingleton<CacheInvalidationInterceptor>();
        services.AddSingleton<CacheChangeSignal>();
        services.AddSingleton<CacheChangeOrigin>();
        services.AddHostedService<CacheChangeFeed>();
        services.AddHostedService<ApiKeyUsageWriter>();
        services.AddSingleton(VerificationBudgetOptionsFrom(configuration));
        services.AddSingleton<VerificationBudgets>();
        services.AddSingleton(sp => new VerificationBudgetFlusher(
            sp.GetRequiredService<VerificationBudgets>(), sp.GetRequiredService<ILogger<VerificationBudgetFlusher>>(), sp.GetService<IVerificationBudgetStore>()));
        services.AddHostedService(sp => sp.GetRequiredService<VerificationBudgetFlusher>());
    }

    /// <summary>
    /// <c>MpnVerification:Budgets:HitsPerWindow</c>, <c>MissesPerWindow</c>, <c>WindowSeconds</c>, <c>FlushMilliseconds</c>. A value
    /// that is not a positive whole number falls back to its default here: the start-up validation refuses to start with it
    /// (one clear line) before any request is served.
    /// </summary>
    private static VerificationBudgetOptions VerificationBudgetOptionsFrom(IConfiguration configuration)
    {
        var section = configuration.GetSection("MpnVerification:Budgets");
        int Positive(string name, int fallback) => int.TryParse(section[name], out var value) && value > 0 ? value : fallback;
        return new VerificationBudgetOptions
        {
            HitsPerWindow = Positive(nameof(VerificationBudgetOptions.HitsPerWindow), VerificationBudgetOptions.DefaultHitsPerWindow),
            MissesPerWindow = Positive(nameof(VerificationBudgetOptions.MissesPerWindow), VerificationBudgetOptions.DefaultMissesPerWindow),
            WindowSeconds = Positive(nameof(VerificationBudgetOptions.WindowSeconds), VerificationBudgetOptions.DefaultWindowSeconds),
            FlushMilliseconds = Positive(nameof(VerificationBudgetOptions.FlushMilliseconds), VerificationBudgetOptions.DefaultFlushMilliseconds),
        };
    }

    /// <summary>
    /// A relative file is resolved from the host's content root (the service's folder; the project folder under <c>dotnet run</c>),
    /// never from wherever the process was started, and its folder created; a busy database is waited for, not failed on.
    /// </summary>
    private static string SqliteConnectionString(string connectionString, string? contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            var path = Path.GetFullPath(builder.DataSource, contentRoot ?? Directory.GetCurrentDirectory());
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Opening the file then fails (SQLITE_CANTOPEN): the start-up reports that in one line, no stack trace.
            }

            builder.DataSource = path;
        }

        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }
}
