using System.Diagnostics.Metrics;
using StarGuide.HealthMonitor.Membership;

namespace StarGuide.HealthMonitor.Probing;

/// <summary>Probe outcomes and the current verdict per instance, for Prometheus.</summary>
internal sealed class ProbingMetrics
{
    public const string MeterName = "StarGuide.HealthMonitor";

    private readonly Meter _meter;
    private readonly Counter<long> _probes;
    private readonly PoolMembership _membership;

    public ProbingMetrics(IMeterFactory meterFactory, PoolMembership membership)
    {
        _membership = membership;
        _meter = meterFactory.Create(MeterName);
        _probes = _meter.CreateCounter<long>("starguide.probes", "{probe}", "Health probes sent, by result");
        _meter.CreateObservableGauge("starguide.instance.healthy", ObserveHealth, "1",
            "1 when the instance's last verdict is healthy, 0 when unhealthy (absent while unknown or no longer probed)");
    }

    public void RecordProbe(InstanceHealthTracker tracker, ProbeResult result) =>
        _probes.Add(1,
            new KeyValuePair<string, object?>("pool", tracker.Pool),
            new KeyValuePair<string, object?>("instance", tracker.InstanceId),
            new KeyValuePair<string, object?>("result", result.Succeeded ? "success" : "failure"));

    private IEnumerable<Measurement<int>> ObserveHealth() =>
        _membership.Trackers.Where(t => t.Verdict != HealthVerdict.Unknown)
            .Select(t => new Measurement<int>(t.Verdict == HealthVerdict.Healthy ? 1 : 0,
                new KeyValuePair<string, object?>("pool", t.Pool),
                new KeyValuePair<string, object?>("instance", t.InstanceId)));
}
