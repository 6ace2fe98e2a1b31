using Xunit;

namespace StarGuide.Testing;

/// <summary>One Redis per test class (IClassFixture) or collection (ICollectionFixture).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The Redis server; available from the first test on.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException(
        "The Redis fixture is not started: use it through IClassFixture/ICollectionFixture so xunit calls InitializeAsync.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await RedisServer.StartAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
