using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PartnerAccounts.Application.Webhooks;

namespace PartnerAccounts.Infrastructure.Webhooks;

public static class WebhookServices
{
    /// <summary>The outbox interceptor, the URL policy, the signer and sender, and (unless <c>Webhooks:WorkerEnabled=false</c>) the worker.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        services.AddSingleton<WebhookWorkerSignal>();
        services.AddSingleton<IWebhookWorkerSignal>(sp => sp.GetRequiredService<WebhookWorkerSignal>());
        services.AddSingleton<EventOutboxInterceptor>();
        services.AddSingleton<IWebhookTargets, WebhookTargets>();
        services.AddSingleton<WebhookSender>();
        if (configuration.GetValue(WebhookOptions.Section + ":" + nameof(WebhookOptions.WorkerEnabled), true))
        {
            services.AddHostedService<WebhookWorker>();
        }

        return services;
    }

}
