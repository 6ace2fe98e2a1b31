using MassTransit;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;

namespace StarGuide.Gateway.Pools;

/// <summary>An instance left a pool: it is removed; requests already sent to it finish.</summary>
internal sealed class InstanceStoppedConsumer(PoolRegistry pools, InstanceHealthRegistry health) : IConsumer<InstanceStopped>
{
    public Task Consume(ConsumeContext<InstanceStopped> context)
    {
        var message = context.Message;
        if (pools.Apply(message))
        {
            health.Forget(message.Pool, message.InstanceId);
        }
        return Task.CompletedTask;
    }
}
