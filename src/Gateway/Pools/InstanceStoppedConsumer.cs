using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.Gateway.Pools;

/// <summary>An instance left a pool: it is removed; requests already sent to it finish.</summary>
internal sealed class InstanceStoppedConsumer(PoolRegistry pools) : IConsumer<InstanceStopped>
{
    public Task Consume(ConsumeContext<InstanceStopped> context)
    {
        pools.Apply(context.Message);
        return Task.CompletedTask;
    }
}
