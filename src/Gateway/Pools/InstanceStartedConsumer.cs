using MassTransit;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;

namespace StarGuide.Gateway.Pools;

/// <summary>An instance joined a pool: it gets traffic from the next request on.</summary>
internal sealed class InstanceStartedConsumer(PoolRegistry pools, InstanceHealthUpdater health) : IConsumer<InstanceStarted>
{
    public Task Consume(ConsumeContext<InstanceStarted> context)
    {
        var message = context.Message;
        if (pools.Apply(message))
        {
            // A new instance (or one restarted under the same id) starts with a clean slate, not an old verdict.
            health.Apply(message.Pool, message.InstanceId, unhealthy: false, "started");
        }
        return Task.CompletedTask;
    }
}
