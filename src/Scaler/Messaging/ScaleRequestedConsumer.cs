using MassTransit;
using StarGuide.Contracts;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Messaging;

/// <summary>A desired size from any source (the decision loop, an operator, failover); clamped to the pool's min/max.</summary>
internal sealed class ScaleRequestedConsumer(PoolControllers pools) : IConsumer<ScaleRequested>
{
    public Task Consume(ConsumeContext<ScaleRequested> context)
    {
        var message = context.Message;
        return pools.Find(message.Pool)?.Post(new ScaleTo(message.DesiredInstances, message.Reason, message.RequestedBy)).Applied.Task
            ?? Task.CompletedTask;
    }
}
