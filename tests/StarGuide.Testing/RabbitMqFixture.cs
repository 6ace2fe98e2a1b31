using Xunit;

namespace StarGuide.Testing;

/// <summary>
/// One RabbitMQ broker per test class (IClassFixture) or collection (ICollectionFixture): starting a node
/// takes seconds, so tests share it and should use their own queue names.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqServer? _server;

    /// <summary>The broker; available from the first test on.</summary>
    public RabbitMqServer Server => _server ?? throw new InvalidOperationException(
        "The RabbitMQ fixture is not started: use it through IClassFixture/ICollectionFixture so xunit calls InitializeAsync.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await RabbitMqServer.StartAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
