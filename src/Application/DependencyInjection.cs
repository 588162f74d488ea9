using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.Accounts.CallerAccount;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Application;

public static class DependencyInjection
{
    /// <summary>Validators, the audit trail, the per-request account access, the caller's-account resolver and the MPN ID verifier. Mediator's handlers are registered by its source generator in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<AuditTrail>();
        services.AddScoped<AccountAccess>();
        services.AddScoped<Common.Preconditions.Preconditions>();
        services.AddScoped<Common.Secrets.IssuedSecrets>();
        services.AddSingleton<MpnVerifier>();
        services.AddScoped<CallerAccountResolver>();
        return services;
    }
}
