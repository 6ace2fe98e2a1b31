using MassTransit;
using StackExchange.Redis;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// Asks Redis (a PING) and the bus (MassTransit's own health, which covers the connection and every receive endpoint)
/// whether the scaler reaches them, and says what an operator loses while it does not.
/// </summary>
internal sealed class DependencyProbe(IConnectionMultiplexer redis, IBusControl bus, EventOutbox outbox)
{
    /// <summary>A Redis slower than this is as good as down for a page that refreshes every second.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<StatusProblem>> CheckAsync()
    {
        var problems = new List<StatusProblem>();
        if (await RedisProblemAsync() is { } redisProblem)
        {
            problems.Add(new StatusProblem("redis", redisProblem));
        }
        var health = bus.CheckHealth();
        if (health.Status != BusHealthStatus.Healthy)
        {
            var waiting = outbox.Waiting;
            problems.Add(new StatusProblem("rabbitmq",
                $"The scaler cannot reach RabbitMQ (bus {health.Status.ToString().ToLowerInvariant()}: {health.Description}). "
                + "Health verdicts, scale requests and backup reports do not arrive; "
                + $"{waiting} pool event(s) wait to be published to the gateways and the health monitor."));
        }
        return problems;
    }

    private async Task<string?> RedisProblemAsync()
    {
        var endpoints = string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()));
        const string Loss = "Pool state is not stored (a restarted scaler would start from configuration) and requests in flight are unknown.";
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(PingTimeout);
            return null;
        }
        catch (TimeoutException)
        {
            return $"Redis ({endpoints}) does not answer a PING within {PingTimeout.TotalSeconds:0.#} s. {Loss}";
        }
        catch (RedisException ex)
        {
            return $"The scaler cannot reach Redis ({endpoints}): {ex.Message} {Loss}";
        }
    }
}
