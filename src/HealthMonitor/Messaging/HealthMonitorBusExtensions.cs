using StarGuide.HealthMonitor.Membership;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Messaging;

internal static class HealthMonitorBusExtensions
{
    /// <summary>
    /// Publishes the verdicts (through the <see cref="StarGuide.ServiceDefaults.Messaging.EventOutbox"/>); consumes the scaler's pool events. Every monitor replica probes every instance, so each
    /// must see every pool event: each consumes them on a queue of its own. Pool events are checked before the monitor
    /// probes what they name (instances inside the pool's networks, no version from the future).
    /// </summary>
    public static WebApplicationBuilder AddHealthMonitorBus(this WebApplicationBuilder builder)
    {
        builder.AddMessageBus(ResourceNames.HealthMonitor, bus => bus.AddPoolEventChecks().AddReplicaQueue(ResourceNames.HealthMonitor)
            .AddConsumer<InstanceStartedConsumer>()
            .AddConsumer<InstanceDrainingConsumer>()
            .AddConsumer<InstanceStoppedConsumer>()
            .AddConsumer<PoolChangedConsumer>());
        builder.Services.AddEventOutbox();
        return builder;
    }
}
