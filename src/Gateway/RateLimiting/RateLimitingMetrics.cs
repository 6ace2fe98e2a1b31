using System.Diagnostics.Metrics;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>Rejections by zone and whether the limiter has fallen back to per-replica state.</summary>
internal sealed class RateLimitingMetrics
{
    public const string MeterName = "StarGuide.Gateway.RateLimiting";

    private readonly Counter<long> _rejected;
    private int _fallback;

    public RateLimitingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _rejected = meter.CreateCounter<long>("starguide.rate_limit.rejected", "{request}",
            "Requests refused with 429 by a rate-limit zone");
        meter.CreateObservableGauge("starguide.rate_limit.fallback", () => Volatile.Read(ref _fallback), "1",
            "1 while Redis is unreachable and limits are enforced per replica");
    }

    public void Rejected(string zone) => _rejected.Add(1, new KeyValuePair<string, object?>("zone", zone));

    public void SetFallback(bool active) => Volatile.Write(ref _fallback, active ? 1 : 0);
}
