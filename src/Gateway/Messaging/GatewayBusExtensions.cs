using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
    /// A bus that is not connected makes <c>/health</c> Degraded (200), not Unhealthy: the gateway keeps serving from the
    /// pools and verdicts it holds in memory, the broker only brings changes, and a broker outage must not take every
    /// replica out of a load balancer or a Kubernetes Service at once. A replica that has never heard of a pool's members
    /// is still Unhealthy (<see cref="PoolsKnownHealthCheck"/>).
    /// </summary>
    public static WebApplicationBuilder AddGatewayBus(this WebApplicationBuilder builder)
    {
        builder.AddMessageBus(ResourceNames.Gateway, bus =>
        {
            bus.ConfigureHealthCheckOptions(health => health.MinimalFailureStatus = HealthStatus.Degraded);
            bus.AddPoolEventChecks().AddReplicaQueue(ResourceNames.Gateway)
                .AddConsumer<InstanceUnhealthyConsumer>()
                .AddConsumer<InstanceRecoveredConsumer>()
                .AddConsumer<InstanceStartedConsumer>()
                .AddConsumer<InstanceStoppedConsumer>()
                .AddConsumer<InstanceDrainingConsumer>()
                .AddConsumer<PoolChangedConsumer>();
        });
        return builder;
    }
}
