using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.ApiKeys;
using PartnerAccounts.Infrastructure.Caching;
using PartnerAccounts.Infrastructure.DataProtection;
using PartnerAccounts.Infrastructure.MpnVerification;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Infrastructure.Services;

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
                var sqlite = SqliteConnectionString(connectionString ?? DefaultSqliteConnectionString);
                services.AddDbContext<AppDbContext, SqliteAppDbContext>((sp, o) => o.UseSqlite(sqlite).AddInterceptors(sp.GetRequiredService<CacheInvalidationInterceptor>()));
                services.AddSingleton<IMpnLookupSource>(_ => new SqliteMpnLookupSource(sqlite));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:PartnerAccounts is not set.");
                }

                services.AddPostgresScaleOut(connectionString);
                services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).AddInterceptors(sp.GetRequiredService<CacheInvalidationInterceptor>()));
                services.AddSingleton<IMpnLookupSource>(sp => new PostgresMpnLookupSource(sp.GetRequiredService<NpgsqlDataSource>()));
                break;
        }

        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddSingleton<IClock, SystemClock>();
        services.AddScoped<IMpnIdIssuer, RandomMpnIdIssuer>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<Idempotency.IdempotencyStore>();
        services.AddHostedService<Idempotency.IdempotencyCleanup>();
        services.AddSingleton<IContinuationTokens, DataProtectionContinuationTokens>();
        services.AddMpnVerificationCaches(configuration);
        services.AddProtectedKeyRing(configuration, isProduction);
        return services;
    }

    /// <summary>The verification caches, the interceptor and feed that invalidate them, and the background writer of API key uses.</summary>
    private static void AddMpnVerificationCaches(this IServiceCollection services, IConfiguration configuration)
    {
        var capacity = configuration.GetValue("MpnVerification:CacheCapacity", MpnDirectoryOptions.DefaultCapacity);
        if (capacity < 0)
        {
            throw new InvalidOperationException("MpnVerification:CacheCapacity must be 0 (no cache) or more.");
        }

        var maxAge = configuration.GetValue("Caching:MaxAgeSeconds", MpnDirectoryOptions.DefaultMaxAge.TotalSeconds);
        if (maxAge is <= 0 or > 3600)
        {
            throw new InvalidOperationException("Caching:MaxAgeSeconds must be more than 0 and at most 3600.");
        }

        services.AddSingleton(new MpnDirectoryOptions { CacheCapacity = capacity, MaxAge = TimeSpan.FromSeconds(maxAge) });
        services.AddSingleton<MpnDirectory>();
        services.AddSingleton<IMpnDirectory>(sp => sp.GetRequiredService<MpnDirectory>());
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyDirectory>());
        services.AddSingleton<CacheInvalidator>();
        services.AddSingleton<CacheInvalidationInterceptor>();
        services.AddSingleton<CacheChangeSignal>();
        services.AddHostedService<CacheChangeFeed>();
        services.AddHostedService<ApiKeyUsageWriter>();
    }

    /// <summary>A relative file is resolved from the working directory and its folder created; a busy database is waited for, not failed on.</summary>
    private static string SqliteConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            var path = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }
}
