using Microsoft.Extensions.Options;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Api.Operations;

/// <summary>The settings a node cannot serve correctly without, read once from configuration and validated on start.</summary>
public sealed class StartupSettings
{
    public bool IsProduction { get; set; }

    public string? AuthAuthority { get; set; }

    public string? AuthSigningKey { get; set; }

    public Dictionary<string, int> Limits { get; } = [];
}

/// <summary>
/// Options validated on start (<c>ValidateOnStart</c>): Production without a way to authenticate anyone, or a limit out of
/// its range, stops the process with one line on stderr and exit code 3 before it touches the database or listens.
/// </summary>
public static class StartupValidation
{
    public const int ExitCode = 3;

    private static readonly (string Key, int Default, int Minimum)[] LimitSettings =
    [
        ("RateLimits:SignIn:PermitLimit", 10, 1),
        ("RateLimits:SignIn:WindowSeconds", 60, 1),
        ("MpnVerification:Budgets:HitsPerWindow", VerificationBudgetOptions.DefaultHitsPerWindow, 1),
        ("MpnVerification:Budgets:MissesPerWindow", VerificationBudgetOptions.DefaultMissesPerWindow, 1),
        ("MpnVerification:Budgets:WindowSeconds", VerificationBudgetOptions.DefaultWindowSeconds, 1),
        ("MpnVerification:Budgets:FlushMilliseconds", VerificationBudgetOptions.DefaultFlushMilliseconds, 1),
        ("MpnVerification:CacheCapacity", MpnDirectoryOptions.DefaultCapacity, 0),
        ("MpnVerification:SnapshotCapacity", MpnDirectoryOptions.DefaultSnapshotCapacity, 0),
        ("ApiKeys:UsageFlushSeconds", 10, 1),
    ];

    public static IServiceCollection AddStartupValidation(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<IValidateOptions<StartupSettings>, StartupSettingsValidator>();
        services.AddOptions<StartupSettings>()
            .Configure(settings =>
            {
                settings.IsProduction = environment.IsProduction();
                settings.AuthAuthority = configuration["Auth:Authority"];
                settings.AuthSigningKey = configuration["Auth:SigningKey"];
                foreach (var (key, fallback, _) in LimitSettings)
                {
                    settings.Limits[key] = int.TryParse(configuration[key], out var value) ? value : configuration[key] is null ? fallback : int.MinValue;
                }
            })
            .ValidateOnStart();
        return services;
    }

    /// <summary>The one line a node prints before it exits with <see cref="ExitCode"/>.</summary>
    public static string CannotStart(string reason) => "PartnerAccounts cannot start: " + reason.ReplaceLineEndings(" ");

    /// <summary>Runs every start-up validation now; the failure as one line (null when the configuration is usable).</summary>
    public static string? Failure(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return CannotStart(string.Join(" ", ex.Failures));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return CannotStart(string.Join(" ", ex.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)));
        }
    }

    private sealed class StartupSettingsValidator : IValidateOptions<StartupSettings>
    {
        public ValidateOptionsResult Validate(string? name, StartupSettings options)
        {
            var failures = new List<string>();
            if (options.IsProduction && string.IsNullOrWhiteSpace(options.AuthAuthority) && string.IsNullOrWhiteSpace(options.AuthSigningKey))
            {
                failures.Add("set Auth:Authority (an OIDC identity provider) or Auth:SigningKey (the service's own sign-in, 32+ bytes): in Production without either nobody can authenticate.");
            }

            foreach (var (key, _, minimum) in LimitSettings)
            {
                if (options.Limits[key] < minimum)
                {
                    failures.Add($"{key} must be a whole number of at least {minimum}.");
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
