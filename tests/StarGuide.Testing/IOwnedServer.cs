namespace StarGuide.Testing;

/// <summary>A server this library started (local process or container): it can be stopped and started again.</summary>
internal interface IOwnedServer : IAsyncDisposable
{
    /// <summary>Stops the server; port and data stay reserved for <see cref="StartAgainAsync"/>.</summary>
    Task StopAsync();

    /// <summary>Starts the stopped server on the same port and data; returns once it serves clients.</summary>
    Task StartAgainAsync(CancellationToken cancellationToken);

    /// <summary>Runs a new server's first start; when that fails, disposes it so nothing is left behind, and rethrows.</summary>
    static async Task<TServer> StartOrDisposeAsync<TServer>(TServer server, Func<TServer, Task> start)
        where TServer : IOwnedServer
    {
        try
        {
            await start(server).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
