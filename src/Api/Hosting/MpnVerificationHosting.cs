using PartnerAccounts.Api.Contracts.V1;

namespace PartnerAccounts.Api.Hosting;

/// <summary>The host side of MPN ID verification: its source-generated JSON, and the benchmark switch.</summary>
public static class MpnVerificationHosting
{
    public static IServiceCollection AddMpnVerification(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, MpnVerificationJsonContext.Default));

        var anonymous = configuration.GetValue<bool>(ApiKeyAuthentication.BenchmarkSetting);
        if (anonymous && environment.IsProduction())
        {
            throw new InvalidOperationException($"{ApiKeyAuthentication.BenchmarkSetting} lets anyone verify MPN IDs; it is refused in Production.");
        }

        services.Configure<ApiKeyAuthenticationOptions>(options => options.AllowAnonymousForBenchmark = anonymous);
        return services;
    }
}
