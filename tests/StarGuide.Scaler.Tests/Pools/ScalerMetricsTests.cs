using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Pools;

public sealed class ScalerMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Bounds_gauges_report_the_configured_bounds_narrowed_by_the_operator()
    {
        var meterFactory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var metrics = new ScalerMetrics(meterFactory);
        PoolStatus[] pools =
        [
            new("backend", "process", 3, 3, 2, 8, Floor: 3, Ceiling: 5, 1, 0, null, []),
            new("frontend", "process", 2, 2, 1, 4, Floor: null, Ceiling: null, 1, 0, null, []),
        ];
        metrics.Observe(() => pools);
        using var min = new MetricCollector<int>(meterFactory, ScalerMetrics.MeterName, "starguide.pool.min_instances");
        using var max = new MetricCollector<int>(meterFactory, ScalerMetrics.MeterName, "starguide.pool.max_instances");

        Assert.Equal(["backend=3", "frontend=1"], Observe(min));
        Assert.Equal(["backend=5", "frontend=4"], Observe(max));
    }

    private static string[] Observe(MetricCollector<int> gauge)
    {
        gauge.RecordObservableInstruments();
        return [.. gauge.GetMeasurementSnapshot(clear: true).Select(m => $"{m.Tags["pool"]}={m.Value}").Order()];
    }
}
