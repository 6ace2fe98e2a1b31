using StarGuide.Gateway.Health;
using StarGuide.Gateway.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.Gateway.Messaging;

internal static class GatewayBusExtensions
{
    /// <summary>
    /// Every gateway replica must see every verdict and pool change: each consumes them on a queue of its own. Pool events
    /// are checked before they change a route (instances inside the pool's networks, no version from the future).
    /// </summary>
    public static WebApplicationBuilder AddGatewayBus(this WebApplicationBuilder builder)
    {
        builder.AddMessageBus(ResourceNames.Gateway, bus => bus.AddPoolEventChecks().AddReplicaQueue(ResourceNames.Gateway)
            .AddConsumer<InstanceUnhealthyConsumer>()
            .AddConsumer<InstanceRecoveredConsumer>()
            .AddConsumer<InstanceStartedConsumer>()
            .AddConsumer<InstanceStoppedConsumer>()
            .AddConsumer<InstanceDrainingConsumer>()
            .AddConsumer<PoolChangedConsumer>());
        return builder;
    }
}
