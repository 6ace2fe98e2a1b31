using StarGuide.Contracts;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>A bus on the test's broker that publishes as another service would, with that service's broker user.</summary>
internal sealed class TestBus : IAsyncDisposable
{
    private readonly PublisherBus _bus;

    private TestBus(PublisherBus bus) => _bus = bus;

    /// <param name="user">The broker user of the service the test speaks for, e.g. <c>scaler</c> for a ScaleRequested.</param>
    public static async Task<TestBus> StartAsync(RabbitMqServer broker, string user) =>
        new(await PublisherBus.StartAsync(broker, user));

    public Task PublishScaleAsync(string pool, int desired, string requestedBy) =>
        _bus.Publish(new ScaleRequested(Guid.NewGuid(), pool, desired, "test asks for it", requestedBy, DateTimeOffset.UtcNow));

    public Task PublishAsync<T>(T message)
        where T : class => _bus.Publish(message);

    public ValueTask DisposeAsync() => _bus.DisposeAsync();
}
