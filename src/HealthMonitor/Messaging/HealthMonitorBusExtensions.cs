using StarGuide.HealthMonitor.Membership;
using StarGuide.ServiceDefaults;

namespace StarGuide.HealthMonitor.Messaging;

internal static class HealthMonitorBusExtensions
{
    /// <summary>
    /// Publishes the verdicts; consumes the scaler's pool events. Every monitor replica probes every instance, so each
    /// must see every pool event: each consumes them on a queue of its own.
    /// </summary>
    public static WebApplicationBuilder AddHealthMonitorBus(this WebApplicationBuilder builder)
    {
        builder.AddMessageBus(ResourceNames.HealthMonitor, bus => bus.AddReplicaQueue(ResourceNames.HealthMonitor)
            .AddConsumer<InstanceStartedConsumer>()
            .AddConsumer<InstanceDrainingConsumer>()
            .AddConsumer<InstanceStoppedConsumer>()
            .AddConsumer<PoolChangedConsumer>());
        return builder;
    }
}
