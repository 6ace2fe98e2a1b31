using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.Gateway.Pools;

/// <summary>A whole pool's membership: replaces the view when newer.</summary>
internal sealed class PoolChangedConsumer(PoolRegistry pools) : IConsumer<PoolChanged>
{
    public Task Consume(ConsumeContext<PoolChanged> context)
    {
        pools.Apply(context.Message);
        return Task.CompletedTask;
    }
}
