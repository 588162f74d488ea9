using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;

namespace PartnerAccounts.Application;

public static class DependencyInjection
{
    /// <summary>Validators, the audit trail and the per-request account access. Mediator's handlers are registered by its source generator in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<AuditTrail>();
        services.AddScoped<AccountAccess>();
        return services;
    }
}
