using MassTransit;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// A whole pool's membership: replaces the view when newer. An instance this gateway has no verdict on (it restarted,
/// or missed the events) starts from the scaler's view of it; one it has a verdict on keeps that, which is fresher.
/// </summary>
internal sealed class PoolChangedConsumer(PoolRegistry pools, InstanceHealthRegistry health) : IConsumer<PoolChanged>
{
    public Task Consume(ConsumeContext<PoolChanged> context)
    {
        var snapshot = context.Message;
        // The same version too: it may correct a view built from a lone event (PoolRegistry.Apply).
        if (snapshot.Version < pools.VersionOf(snapshot.Pool))
        {
            return Task.CompletedTask;
        }
        // Before the change, as for a started instance: YARP must never see a member without its verdict.
        foreach (var member in snapshot.Members)
        {
            if (!health.Knows(snapshot.Pool, member.InstanceId))
            {
                health.SetInRotation(snapshot.Pool, member.InstanceId, inRotation: member.Ready);
            }
        }
        if (pools.Apply(snapshot, out var removed))
        {
            foreach (var instanceId in removed)
            {
                health.Forget(snapshot.Pool, instanceId);
            }
        }
        return Task.CompletedTask;
    }
}
