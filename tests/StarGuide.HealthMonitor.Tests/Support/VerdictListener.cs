using System.Collections.Concurrent;
using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.HealthMonitor.Tests.Support;

/// <summary>
/// A bus of the test's own on the broker: publishes the scaler's events and records every verdict the monitors
/// publish, on a queue of its own that the broker deletes when the listener stops.
/// </summary>
internal sealed class VerdictListener : IAsyncDisposable
{
    private readonly IBusControl _bus;

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

    public static async Task<VerdictListener> StartAsync(Uri broker)
    {
        var listener = new VerdictListener(broker);
        await listener._bus.StartAsync();
        return listener;
    }

    public Task PublishAsync<T>(T message)
        where T : class => _bus.Publish(message);

    public ValueTask DisposeAsync() => new(_bus.StopAsync());
}
