using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// Degraded, not unhealthy, while Redis is unreachable: the gateway still serves and limits (per replica), so a load
/// balancer in front must not take it out of rotation for it.
/// </summary>
internal sealed class RedisRateLimitHealthCheck(RedisGcraStore redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("rate limits shared through Redis")
            : HealthCheckResult.Degraded("Redis unreachable: rate limits are enforced per gateway replica"));
}
