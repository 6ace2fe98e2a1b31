using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>A bus on the test's broker that publishes as an operator or another service would.</summary>
internal sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public static async Task<TestBus> StartAsync(Uri broker)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(broker));
        await bus.StartAsync();
        return new TestBus(bus);
    }

    public Task PublishScaleAsync(string pool, int desired, string requestedBy) =>
        _bus.Publish(new ScaleRequested(Guid.NewGuid(), pool, desired, "test asks for it", requestedBy, DateTimeOffset.UtcNow));

    public Task PublishAsync<T>(T message)
        where T : class => _bus.Publish(message);

    public ValueTask DisposeAsync() => new(_bus.StopAsync());
}
