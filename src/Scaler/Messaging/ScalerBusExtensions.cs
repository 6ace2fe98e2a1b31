using MassTransit;
using StarGuide.ServiceDefaults;

namespace StarGuide.Scaler.Messaging;

internal static class ScalerBusExtensions
{
    /// <summary>
    /// Verdicts and scale requests arrive on one durable queue, one message at a time, in the order they were
    /// published: an instance's unhealthy and recovered verdicts must not overtake each other. Backup reports come
    /// the same way, for the status page.
    /// </summary>
    public static WebApplicationBuilder AddScalerBus(this WebApplicationBuilder builder)
    {
        static void OnScalerQueue(IEndpointRegistrationConfigurator e)
        {
            e.Name = ResourceNames.Scaler;
            e.ConcurrentMessageLimit = 1;
        }
        builder.AddMessageBus(ResourceNames.Scaler, bus =>
        {
            bus.AddConsumer<InstanceUnhealthyConsumer>().Endpoint(OnScalerQueue);
            bus.AddConsumer<InstanceRecoveredConsumer>().Endpoint(OnScalerQueue);
            bus.AddConsumer<ScaleRequestedConsumer>().Endpoint(OnScalerQueue);
            bus.AddConsumer<BackupCompletedConsumer>().Endpoint(OnScalerQueue);
            bus.AddConsumer<BackupFailedConsumer>().Endpoint(OnScalerQueue);
        });
        return builder;
    }
}
