using System.Diagnostics.Metrics;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// The pools for Prometheus: <c>starguide_pool_instances{pool,state}</c>, <c>starguide_pool_desired_instances{pool}</c>,
/// the bounds the pool may move within now (<c>starguide_pool_min_instances</c>, <c>starguide_pool_max_instances</c>:
/// configured, narrowed by an operator's floor and ceiling, so "at its maximum" is one comparison), replacements by
/// cause and crash-loop back-offs.
/// </summary>
internal sealed class ScalerMetrics
{
    public const string MeterName = "StarGuide.Scaler";

    private readonly Counter<long> _replacements;
    private readonly Counter<long> _backoffs;
    private Func<IEnumerable<PoolStatus>> _pools = () => [];

    public ScalerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _replacements = meter.CreateCounter<long>("starguide.pool.replacements", "{instance}",
            "Instances replaced, by cause (exited, unhealthy, failed-start)");
        _backoffs = meter.CreateCounter<long>("starguide.pool.backoffs", "{backoff}",
            "Starts delayed because instances of the pool crashed soon after their start");
        meter.CreateObservableGauge("starguide.pool.instances", ObserveInstances, "{instance}", "Instances by state");
        meter.CreateObservableGauge("starguide.pool.desired_instances", () => _pools().Select(p =>
            new Measurement<int>(p.Desired, new KeyValuePair<string, object?>("pool", p.Pool))), "{instance}", "Desired size of each pool");
        meter.CreateObservableGauge("starguide.pool.min_instances", () => _pools().Select(p =>
            new Measurement<int>(p.Lowest, new KeyValuePair<string, object?>("pool", p.Pool))), "{instance}",
            "Lowest size the pool may have now: its minimum, raised by an operator's floor");
        meter.CreateObservableGauge("starguide.pool.max_instances", () => _pools().Select(p =>
            new Measurement<int>(p.Highest, new KeyValuePair<string, object?>("pool", p.Pool))), "{instance}",
            "Highest size the pool may have now: its maximum, lowered by an operator's ceiling");
    }

    public void Observe(Func<IEnumerable<PoolStatus>> pools) => _pools = pools;

    public void Replacement(string pool, string cause) =>
        _replacements.Add(1, new KeyValuePair<string, object?>("pool", pool), new KeyValuePair<string, object?>("cause", cause));

    public void Backoff(string pool) => _backoffs.Add(1, new KeyValuePair<string, object?>("pool", pool));

    private IEnumerable<Measurement<int>> ObserveInstances()
    {
        foreach (var pool in _pools())
        {
            foreach (var state in Enum.GetValues<MemberState>())
            {
                yield return new Measurement<int>(pool.Members.Count(m => m.State == state),
                    new KeyValuePair<string, object?>("pool", pool.Pool),
                    new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
            }
        }
    }
}
