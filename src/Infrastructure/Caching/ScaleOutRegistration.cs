using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.Caching;

public static class ScaleOutRegistration
{
    /// <summary>
    /// PostgreSQL: the node's one data source (every PostgreSQL user resolves <see cref="NpgsqlDataSource"/>), the notifier the
    /// saving node calls after commit, and the listener that wakes this node's change feed.
    /// </summary>
    public static IServiceCollection AddPostgresScaleOut(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => PostgresDataSource.Create(connectionString));
        services.AddSingleton<ICacheChangeNotifier, PostgresCacheChangeNotifier>();
        services.AddSingleton<PostgresCacheChangeListener>();
        services.AddSingleton<ICacheChangeListener>(sp => sp.GetRequiredService<PostgresCacheChangeListener>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresCacheChangeListener>());
        return services;
    }
}
