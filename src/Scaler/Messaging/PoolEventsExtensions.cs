using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Messaging;

internal static class PoolEventsExtensions
{
    /// <summary>
    /// The scaler on the bus. What the pools and the autoscalers publish goes out through the event outbox, in order and
    /// until the broker confirms it, stamped with the scaler's scope (so that its own <c>ScaleRequested</c> is not applied
    /// twice: <see cref="ScaleRequestEcho"/>). Verdicts and scale requests arrive on one durable queue, one message at a
    /// time, in the order they were published: an instance's unhealthy and recovered verdicts must not overtake each
    /// other. Backup reports come the same way, for the status page.
    /// </summary>
    public static WebApplicationBuilder AddPoolEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddEventOutbox();
        builder.Services.AddOptions<EventOutboxOptions>()
            .Configure<IOptions<ScalerOptions>>((outbox, scaler) => outbox.Headers[ScaleRequestEcho.ScopeHeader] = scaler.Value.Scope);

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
