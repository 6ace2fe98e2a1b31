using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>An instance left a pool: it is no longer probed, and no verdict on it is announced.</summary>
internal sealed class InstanceStoppedConsumer(PoolMembership membership) : IConsumer<InstanceStopped>
{
    public Task Consume(ConsumeContext<InstanceStopped> context)
    {
        membership.Apply(context.Message);
        return Task.CompletedTask;
    }
}
