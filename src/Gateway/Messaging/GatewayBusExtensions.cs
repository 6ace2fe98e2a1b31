using StarGuide.Gateway.Health;
using StarGuide.Gateway.Pools;
using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.Messaging;

internal static class GatewayBusExtensions
{
    /// <summary>Every gateway replica must see every verdict and pool change: each consumes them on a queue of its own.</summary>
    public static WebApplicationBuilder AddGatewayBus(this WebApplicationBuilder builder)
    {
        builder.AddMessageBus(ResourceNames.Gateway, bus => bus.AddReplicaQueue(ResourceNames.Gateway)
            .AddConsumer<InstanceUnhealthyConsumer>()
            .AddConsumer<InstanceRecoveredConsumer>()
            .AddConsumer<InstanceStartedConsumer>()
            .AddConsumer<InstanceStoppedConsumer>()
            .AddConsumer<InstanceDrainingConsumer>()
            .AddConsumer<PoolChangedConsumer>());
        return builder;
    }
}
