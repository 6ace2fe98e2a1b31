using Xunit;

namespace StarGuide.Testing;

/// <summary>
/// RabbitMQ and Redis together, started concurrently so Redis costs nothing next to the broker's start-up.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    // Built from the single-server fixtures so there is one start/stop path to trust.
    private readonly RabbitMqFixture _rabbitMq = new();
    private readonly RedisFixture _redis = new();

    /// <summary>The broker; available from the first test on.</summary>
    public RabbitMqServer RabbitMq => _rabbitMq.Server;

    /// <summary>The Redis server; available from the first test on.</summary>
    public RedisServer Redis => _redis.Server;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            await Task.WhenAll(_rabbitMq.InitializeAsync(), _redis.InitializeAsync()).ConfigureAwait(false);
        }
        catch
        {
            // One side may have started: xunit does not dispose a fixture whose start failed, so clean up here.
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() =>
        // Concurrently, like the start: a broker takes a few seconds to stop.
        Task.WhenAll(_rabbitMq.DisposeAsync(), _redis.DisposeAsync());
}
