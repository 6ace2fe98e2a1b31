using System.Collections.Concurrent;
using MassTransit;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.HealthMonitor.Tests.Support;

/// <summary>
/// A bus of the test's own on the broker: publishes the scaler's events (as the scaler's broker user) and records every
/// verdict the monitors publish, on a queue of its own that the broker deletes when the listener stops.
/// </summary>
internal sealed class VerdictListener : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private PublisherBus? _scaler;

    private VerdictListener(Uri broker)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint($"health-monitor-tests-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Handler<InstanceRecovered>(c =>
                {
                    Recovered.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
                e.Handler<InstanceUnhealthy>(c =>
                {
                    Unhealthy.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
            });
        });
    }

    public ConcurrentQueue<InstanceRecovered> Recovered { get; } = new();

    public ConcurrentQueue<InstanceUnhealthy> Unhealthy { get; } = new();

    public static async Task<VerdictListener> StartAsync(RabbitMqServer broker)
    {
        var listener = new VerdictListener(broker.AmqpUri);
        await listener._bus.StartAsync();
        listener._scaler = await PublisherBus.StartAsync(broker, ResourceNames.Scaler);
        return listener;
    }

    /// <summary>Publishes as the scaler does.</summary>
    public Task PublishAsync<T>(T message)
        where T : class => _scaler!.Publish(message);

    public async ValueTask DisposeAsync()
    {
        if (_scaler is not null)
        {
            await _scaler.DisposeAsync();
        }
        await _bus.StopAsync();
    }
}
