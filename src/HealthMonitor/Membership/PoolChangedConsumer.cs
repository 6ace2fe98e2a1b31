using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>A whole pool's membership: replaces the set of probed instances when newer.</summary>
internal sealed class PoolChangedConsumer(PoolMembership membership) : IConsumer<PoolChanged>
{
    public Task Consume(ConsumeContext<PoolChanged> context)
    {
        membership.Apply(context.Message);
        return Task.CompletedTask;
    }
}
