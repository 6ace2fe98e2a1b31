using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.ServiceDefaults.Pools;

public static class PoolEventChecksExtensions
{
    /// <summary>
    /// Puts <see cref="PoolEventCheckFilter{T}"/> in front of this bus's pool event consumers (after the publisher check),
    /// for the services that act on pool membership: the gateway and the health monitor. Needs <see cref="PoolsOptionsExtensions.AddPoolsOptions{TBuilder}"/>.
    /// </summary>
    public static IBusRegistrationConfigurator AddPoolEventChecks(this IBusRegistrationConfigurator bus)
    {
        bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseConsumeFilter(typeof(PoolEventCheckFilter<>), context,
            types => types.Include(typeof(PoolChanged), typeof(InstanceStarted), typeof(InstanceDraining), typeof(InstanceStopped))));
        return bus;
    }
}
