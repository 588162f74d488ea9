using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PartnerAccounts.Application.Common.Telemetry;

namespace PartnerAccounts.Api.Operations;

/// <summary>
/// OpenTelemetry, configured by the standard <c>OTEL_*</c> variables. It is switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (the OTLP exporter also reads <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c>, ...; the SDK reads <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_SDK_DISABLED</c>): without an endpoint nothing is
/// collected, so a node that exports nowhere pays nothing. Traces: HTTP requests (not the health probes), outgoing HTTP calls,
/// PostgreSQL commands. Metrics: ASP.NET Core (requests, Kestrel, rate limiting), HTTP client, .NET runtime, Npgsql, and the
/// service's own meter <see cref="PartnerAccountsMetrics.MeterName"/>.
/// </summary>
public static class Telemetry
{
    public const string DefaultServiceName = "partneraccounts-api";

    public static IServiceCollection AddPartnerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(DefaultServiceName);
                }
            })
            .WithTracing(tracing => Instrument(tracing).AddOtlpExporter())
            .WithMetrics(metrics => Instrument(metrics).AddOtlpExporter());
        return services;
    }

    /// <summary>The sources of the service's spans (the tests add an in-memory exporter to the same set).</summary>
    public static TracerProviderBuilder Instrument(TracerProviderBuilder tracing) => tracing
        .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
        .AddHttpClientInstrumentation()
        .AddNpgsql();

    /// <summary>The meters the service exports.</summary>
    public static MeterProviderBuilder Instrument(MeterProviderBuilder metrics) => metrics
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddRuntimeInstrumentation()
        .AddMeter("Npgsql")
        .AddMeter(PartnerAccountsMetrics.MeterName);
}
