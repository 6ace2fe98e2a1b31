using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Membership;
using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Tests.Probing;

public sealed class ProbingMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Health_gauge_follows_the_members_and_drops_an_instance_that_left()
    {
        var pools = new PoolsOptions
        {
            ["backend"] = new PoolOptions
            {
                Instances =
                [
                    new InstanceOptions { Id = "a", Address = "http://127.0.0.1:8001" },
                    new InstanceOptions { Id = "b", Address = "http://127.0.0.1:8002" },
                ],
            },
        };
        var membership = new PoolMembership(Options.Create(pools), NullLogger<PoolMembership>.Instance);
        var meterFactory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _ = new ProbingMetrics(meterFactory, membership);
        using var gauge = new MetricCollector<int>(meterFactory, ProbingMetrics.MeterName, "starguide.instance.healthy");
        foreach (var tracker in membership.Trackers)
        {
            tracker.Record(ProbeResult.Success(200), new ProbingOptions());
        }

        Assert.Equal(["a", "b"], Observe(gauge));

        membership.Apply(new InstanceStopped("a", "backend", new Uri("http://127.0.0.1:8001"), "scaled down", 1, DateTimeOffset.UtcNow));

        Assert.Equal(["b"], Observe(gauge));
    }

    private static string[] Observe(MetricCollector<int> gauge)
    {
        gauge.RecordObservableInstruments();
        return [.. gauge.GetMeasurementSnapshot(clear: true).Select(m => (string)m.Tags["instance"]!).Order()];
    }
}
