using MassTransit;
using StarGuide.ServiceDefaults;
using Yarp.ReverseProxy.Health;

namespace StarGuide.Gateway.Health;

internal static class InstanceHealthExtensions
{
    /// <summary>
    /// Every gateway replica must see every verdict, so each replica consumes from a queue of its own. The queue is
    /// durable (a broker restart keeps what is in it) and expires an hour after its replica is gone.
    /// </summary>
    private static readonly TimeSpan ReplicaQueueExpiry = TimeSpan.FromHours(1);

    public static WebApplicationBuilder AddInstanceHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InstanceHealthRegistry>();
        builder.Services.AddSingleton<InstanceHealthUpdater>();
        builder.Services.AddSingleton<EventDrivenDestinationsPolicy>();
        builder.Services.AddSingleton<IAvailableDestinationsPolicy>(sp => sp.GetRequiredService<EventDrivenDestinationsPolicy>());

        var queueName = $"{ResourceNames.Gateway}-instance-health-{ReplicaId()}";
        builder.AddMessageBus(ResourceNames.Gateway, bus =>
        {
            bus.AddConsumer<InstanceUnhealthyConsumer>().Endpoint(e => e.Name = queueName);
            bus.AddConsumer<InstanceRecoveredConsumer>().Endpoint(e => e.Name = queueName);
            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                if (name == queueName && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.QueueExpiration = ReplicaQueueExpiry;
                }
            });
        });
        return builder;
    }

    private static string ReplicaId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
}
