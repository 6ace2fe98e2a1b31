using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StarGuide.ServiceDefaults;

public static class ReplicaQueueExtensions
{
    /// <summary>
    /// Declares this process's own queue (see <see cref="ReplicaQueue"/>); add its consumers to the result, e.g.
    /// <c>bus.AddReplicaQueue(ResourceNames.Gateway).AddConsumer&lt;PoolChangedConsumer&gt;()</c>.
    /// </summary>
    public static ReplicaQueue AddReplicaQueue(this IBusRegistrationConfigurator bus, string serviceName)
    {
        var queue = new ReplicaQueue(bus, serviceName);
        bus.TryAddSingleton(queue); // its name, for diagnostics and tests
        bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
        {
            if (name == queue.Name && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.Durable = true;
                rabbit.QueueExpiration = ReplicaQueue.Expiry;
                rabbit.PrefetchCount = 16;
            }
        });
        return queue;
    }
}
