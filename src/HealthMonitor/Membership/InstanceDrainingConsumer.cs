using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>An instance is about to leave: it is no longer probed, and no verdict on it is announced.</summary>
internal sealed class InstanceDrainingConsumer(PoolMembership membership) : IConsumer<InstanceDraining>
{
    public Task Consume(ConsumeContext<InstanceDraining> context)
    {
        membership.Apply(context.Message);
        return Task.CompletedTask;
    }
}
