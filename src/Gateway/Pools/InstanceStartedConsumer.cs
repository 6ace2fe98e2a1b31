using MassTransit;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// An instance joined a pool. It becomes a destination now, but gets traffic only once the health monitor reports it
/// healthy (<c>InstanceRecovered</c> after its first successful probe): a process that has started is not yet serving.
/// </summary>
internal sealed class InstanceStartedConsumer(PoolRegistry pools, InstanceHealthRegistry health) : IConsumer<InstanceStarted>
{
    public Task Consume(ConsumeContext<InstanceStarted> context)
    {
        var message = context.Message;
        if (message.PoolVersion > pools.VersionOf(message.Pool))
        {
            // Recorded before the destination exists: YARP computes the new cluster's available destinations while it
            // applies the change, and must never see the instance without this.
            health.SetInRotation(message.Pool, message.InstanceId, inRotation: false);
            pools.Apply(message);
        }
        return Task.CompletedTask;
    }
}
