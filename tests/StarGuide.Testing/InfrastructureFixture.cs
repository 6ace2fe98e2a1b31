using Xunit;

namespace StarGuide.Testing;

/// <summary>
/// RabbitMQ and Redis together, started concurrently so Redis costs nothing next to the broker's start-up.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private RabbitMqServer? _rabbitMq;
    private RedisServer? _redis;

    /// <summary>The broker; available from the first test on.</summary>
    public RabbitMqServer RabbitMq => _rabbitMq ?? throw NotStarted();

    /// <summary>The Redis server; available from the first test on.</summary>
    public RedisServer Redis => _redis ?? throw NotStarted();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var rabbitMq = RabbitMqServer.StartAsync(CancellationToken.None);
        var redis = RedisServer.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(rabbitMq, redis).ConfigureAwait(false);
        }
        catch
        {
            // One side may have started: xunit does not dispose a fixture whose start failed, so clean up here.
            await DisposeStartedAsync(rabbitMq).ConfigureAwait(false);
            await DisposeStartedAsync(redis).ConfigureAwait(false);
            throw;
        }

        _rabbitMq = await rabbitMq.ConfigureAwait(false);
        _redis = await redis.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        // Concurrently, like the start: a broker takes a few seconds to stop.
        var rabbitMq = Interlocked.Exchange(ref _rabbitMq, null);
        var redis = Interlocked.Exchange(ref _redis, null);
        await Task.WhenAll(
            rabbitMq is null ? Task.CompletedTask : rabbitMq.DisposeAsync().AsTask(),
            redis is null ? Task.CompletedTask : redis.DisposeAsync().AsTask()).ConfigureAwait(false);
    }

    private static async Task DisposeStartedAsync<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static InvalidOperationException NotStarted() => new(
        "The infrastructure fixture is not started: use it through IClassFixture/ICollectionFixture so xunit calls InitializeAsync.");
}
