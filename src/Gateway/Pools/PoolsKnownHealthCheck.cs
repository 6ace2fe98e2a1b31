using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// Unhealthy while a pool has no members at all, neither configured nor heard of from the scaler: a replica that has
/// just started (in compose and Kubernetes every member comes from the scaler) would answer 503 to that pool's requests
/// until the scaler's next snapshot, at most <c>Scaler:SnapshotInterval</c> later. A load balancer that checks
/// <c>/health</c> sends it nothing until then (found by bench/chaos.sh: a gateway replica restarted by a crash answered
/// 503 to the requests of its first 3 s).
/// </summary>
internal sealed class PoolsKnownHealthCheck(PoolRegistry pools) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unknown = pools.PoolsWithoutMembers();
        return Task.FromResult(unknown.Count == 0
            ? HealthCheckResult.Healthy("every pool has members")
            : HealthCheckResult.Unhealthy($"no instance known yet of {string.Join(", ", unknown)} (none configured, no event from the scaler yet)"));
    }
}
