using MassTransit;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.Pools;
using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.Messaging;

internal static class GatewayBusExtensions
{
    /// <summary>
    /// Every gateway replica must see every verdict and pool change, so each replica consumes from a queue of its
    /// own. The queue is durable (a broker restart keeps what is in it) and expires an hour after its replica is gone.
    /// </summary>
    private static readonly TimeSpan ReplicaQueueExpiry = TimeSpan.FromHours(1);

    public static WebApplicationBuilder AddGatewayBus(this WebApplicationBuilder builder)
    {
        var queueName = $"{ResourceNames.Gateway}-{ReplicaId()}";
        // One message at a time, in queue order: pool events are incremental, and a verdict must not overtake the
        // instance's arrival. (Versions make duplicates harmless; order makes increments safe.)
        void OnReplicaQueue(IEndpointRegistrationConfigurator e)
        {
            e.Name = queueName;
            e.ConcurrentMessageLimit = 1;
        }
        builder.AddMessageBus(ResourceNames.Gateway, bus =>
        {
            bus.AddConsumer<InstanceUnhealthyConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConsumer<InstanceRecoveredConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConsumer<InstanceStartedConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConsumer<InstanceStoppedConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConsumer<InstanceDrainingConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConsumer<PoolChangedConsumer>().Endpoint(OnReplicaQueue);
            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                if (name == queueName && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.QueueExpiration = ReplicaQueueExpiry;
                    rabbit.PrefetchCount = 16;
                }
            });
        });
        return builder;
    }

    private static string ReplicaId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
}
