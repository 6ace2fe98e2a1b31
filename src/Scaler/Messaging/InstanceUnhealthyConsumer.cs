using MassTransit;
using StarGuide.Contracts;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Messaging;

/// <summary>
/// The health monitor's verdicts, handed to the pool's controller; acknowledged only once applied, so that a scaler
/// that dies meanwhile gets the verdict again. A pool this scaler does not own is not its business.
/// </summary>
internal sealed class InstanceUnhealthyConsumer(PoolControllers pools) : IConsumer<InstanceUnhealthy>
{
    public Task Consume(ConsumeContext<InstanceUnhealthy> context) =>
        pools.Find(context.Message.Pool)?.Post(new VerdictReceived(context.Message.InstanceId, false, context.Message.Reason)).Applied.Task
        ?? Task.CompletedTask;
}
