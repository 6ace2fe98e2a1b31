using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>An instance joined a pool: it is probed from the next round on, and its first verdict is announced.</summary>
internal sealed class InstanceStartedConsumer(PoolMembership membership) : IConsumer<InstanceStarted>
{
    public Task Consume(ConsumeContext<InstanceStarted> context)
    {
        membership.Apply(context.Message);
        return Task.CompletedTask;
    }
}
