using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PartnerAccounts.Api.Operations;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http.Operations;

/// <summary>The service's spans and metrics, received through OpenTelemetry's in-memory exporter on the sources and meters the service exports.</summary>
[NonParallelizable]
public sealed class TelemetryTests : ApiTest
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private WebApplicationFactory<Program> _node = null!;

    [OneTimeSetUp]
    public void StartNode() => _node = Factory.WithWebHostBuilder(builder => builder
        .UseSetting("MpnVerification:Budgets:MissesPerWindow", "1")
        .ConfigureTestServices(services => services.AddOpenTelemetry()
            .WithTracing(tracing => Telemetry.Instrument(tracing).AddInMemoryExporter(_spans))
            .WithMetrics(metrics => Telemetry.Instrument(metrics).AddInMemoryExporter(_metrics))));

    [OneTimeTearDown]
    public async Task StopNodeAsync() => await _node.DisposeAsync();

    [Test]
    public async Task Requests_WhenTelemetryIsOn_ShouldExportRequestAndDatabaseSpansAndTheServiceMetrics()
    {
        var admin = _node.CreateClient();
        admin.DefaultRequestHeaders.Authorization = As(NewEmail("admin")).DefaultRequestHeaders.Authorization;
        var account = await CreateAccountAsync(admin);
        var key = await ApiKeyRequests.CreateAsync(admin, account["id"]!.GetValue<Guid>());
        using var integration = ApiKeyRequests.WithKey(_node.CreateClient(), key.Secret);
        var mpnId = account["mpnId"]!.GetValue<string>();
        var statuses = new List<HttpStatusCode>();
        foreach (var uri in new[] { $"/v1/profiles/mpn?mpnId={mpnId}", $"/v1/profiles/mpn?mpnId={mpnId}", "/v1/profiles/mpn?mpnId=9999999999", "/v1/profiles/mpn?mpnId=x", "/v1/profiles/mpn?mpnId=1" })
        {
            using var response = await integration.GetAsync(new Uri(uri, UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        _node.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _node.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }));
        Assert.Multiple(() =>
        {
            Assert.That(_spans.Where(s => s.Kind == ActivityKind.Server).Select(s => s.GetTagItem("http.route") as string),
                Does.Contain("/v{version:apiVersion}/accounts/").Or.Contain("/v1/profiles/mpn"), "request spans");
            if (Factory.Database.Provider == "Postgres")
            {
                Assert.That(_spans.Where(s => s.Source.Name == "Npgsql"), Is.Not.Empty, "database spans");
            }

            Assert.That(_metrics.Select(m => m.Name), Does.Contain("http.server.request.duration"), "HTTP metrics");
            Assert.That(_metrics.Select(m => m.Name), Has.Some.StartsWith("dotnet."), "runtime metrics");
            Assert.That(Sum("partneraccounts.mpn.verifications", "outcome", "verified"), Is.GreaterThanOrEqualTo(2));
            Assert.That(Sum("partneraccounts.mpn.verifications", "outcome", "not_found"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum("partneraccounts.cache.lookups", "result", "hit"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum("partneraccounts.cache.lookups", "result", "miss"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum("partneraccounts.rate_limit.rejections", "policy", "mpn-verification"), Is.GreaterThanOrEqualTo(2));
        });
    }

    /// <summary>The latest cumulative value of a counter's points carrying tag <paramref name="tag"/> = <paramref name="value"/>.</summary>
    private long Sum(string name, string tag, string value)
    {
        var metric = _metrics.LastOrDefault(m => m.Name == name);
        if (metric is null)
        {
            return 0;
        }

        long sum = 0;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var pair in point.Tags)
            {
                if (pair.Key == tag && (pair.Value as string) == value)
                {
                    sum += point.GetSumLong();
                }
            }
        }

        return sum;
    }
}
