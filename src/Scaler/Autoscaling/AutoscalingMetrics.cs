using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// Each pool's signals (observed per instance, and target), decisions by direction and kind, and decisions held back
/// by why, for Prometheus (desired and actual instances are <c>starguide_pool_*</c>).
/// </summary>
internal sealed class AutoscalingMetrics
{
    public const string MeterName = "StarGuide.Scaler.Autoscaling";

    private readonly ConcurrentDictionary<(string Pool, string Signal), (double Value, double Target)> _signals = new();
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _heldBack;

    public AutoscalingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("starguide.autoscaler.signal", () => _signals.Select(s => new Measurement<double>(s.Value.Value,
            new KeyValuePair<string, object?>("pool", s.Key.Pool), new KeyValuePair<string, object?>("signal", s.Key.Signal))),
            description: "Each signal's latest value per ready instance");
        meter.CreateObservableGauge("starguide.autoscaler.signal.target", () => _signals.Select(s => new Measurement<double>(s.Value.Target,
            new KeyValuePair<string, object?>("pool", s.Key.Pool), new KeyValuePair<string, object?>("signal", s.Key.Signal))),
            description: "Each signal's target per instance");
        _decisions = meter.CreateCounter<long>("starguide.autoscaler.decisions", "{decision}", "Changes of a pool's desired size, by direction and kind");
        _heldBack = meter.CreateCounter<long>("starguide.autoscaler.held_back", "{decision}", "Wanted changes not made, by why");
    }

    public void Observe(string pool, IEnumerable<SignalReading> readings)
    {
        foreach (var reading in readings)
        {
            _signals[(pool, reading.Name)] = (reading.Value, reading.Target);
        }
    }

    public void Decision(string pool, ScaleDirection direction, string kind) => _decisions.Add(1,
        new KeyValuePair<string, object?>("pool", pool),
        new KeyValuePair<string, object?>("direction", direction.ToString().ToLowerInvariant()),
        new KeyValuePair<string, object?>("kind", kind));

    public void HeldBack(string pool, string why) => _heldBack.Add(1,
        new KeyValuePair<string, object?>("pool", pool), new KeyValuePair<string, object?>("why", why));
}
