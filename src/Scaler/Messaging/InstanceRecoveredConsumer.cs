using MassTransit;
using StarGuide.Contracts;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Messaging;

/// <summary>An instance passed its health probes: a starting one becomes ready, an unhealthy one recovers.</summary>
internal sealed class InstanceRecoveredConsumer(PoolControllers pools) : IConsumer<InstanceRecovered>
{
    public Task Consume(ConsumeContext<InstanceRecovered> context) =>
        pools.Find(context.Message.Pool)?.Post(new VerdictReceived(context.Message.InstanceId, true, "healthy")).Applied.Task
        ?? Task.CompletedTask;
}
