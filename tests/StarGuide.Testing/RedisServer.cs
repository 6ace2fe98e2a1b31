using Testcontainers.Redis;

namespace StarGuide.Testing;

/// <summary>
/// A real Redis for tests: the one named by STARGUIDE_TEST_REDIS, else a Testcontainers container when
/// Docker answers, else a local redis-server on a free port. Dispose stops whatever was started here.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly LocalRedisProcess? _local;
    private readonly RedisContainer? _container;
    private int _disposed;

    private RedisServer(string connectionString, string source, LocalRedisProcess? local, RedisContainer? container)
    {
        ConnectionString = connectionString;
        Source = source;
        _local = local;
        _container = container;
    }

    /// <summary>StackExchange.Redis connection string, e.g. "127.0.0.1:6390".</summary>
    public string ConnectionString { get; }

    /// <summary>Where the server comes from: one of the <see cref="ServerSources"/> values.</summary>
    public string Source { get; }

    /// <summary>PID of the local redis-server while it runs; null for other sources or while stopped.</summary>
    internal int? ProcessId => _local?.ProcessId;

    /// <summary>The local server's data folder; null for other sources.</summary>
    internal string? DataDirectory => _local?.DataDirectory;

    /// <summary>Resolves and starts a Redis (see the class summary); returns once it answers PING.</summary>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(ResolutionOptions.Default, cancellationToken);

    internal static async Task<RedisServer> StartAsync(ResolutionOptions options, CancellationToken cancellationToken)
    {
        if (options.Read(ResolutionOptions.RedisVariable) is { } connectionString)
        {
            return new RedisServer(connectionString, ServerSources.Environment, local: null, container: null);
        }

        if (options.TryTestcontainers)
        {
            var container = await DockerProbe.TryBuildAsync(() => new RedisBuilder("redis:7.4").Build(), cancellationToken)
                .ConfigureAwait(false);
            if (container is not null)
            {
                try
                {
                    await container.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await container.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                return new RedisServer(container.GetConnectionString(), ServerSources.Testcontainers, local: null, container);
            }
        }

        return await StartLocalProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Always a local redis-server, whatever the environment says: for outage tests.</summary>
    internal static async Task<RedisServer> StartLocalProcessAsync(CancellationToken cancellationToken)
    {
        var redisServer = LocalExecutables.FindRedisServer();
        if (redisServer is null)
        {
            throw new InvalidOperationException(LocalExecutables.MissingExecutableMessage(
                "Redis",
                ResolutionOptions.RedisVariable,
                "redis-server",
                [("redis-server (on PATH)", redisServer)],
                DockerProbe.UnavailableReason));
        }

        var local = await LocalRedisProcess.StartAsync(redisServer, LocalExecutables.FindRedisCli(), cancellationToken)
            .ConfigureAwait(false);
        return new RedisServer(local.ConnectionString, ServerSources.LocalProcess, local, container: null);
    }

    /// <summary>
    /// Stops the local redis-server to simulate an outage; the port stays reserved for
    /// <see cref="StartAgainAsync"/>. Only for <see cref="ServerSources.LocalProcess"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The server was not started here as a local process.</exception>
    public Task StopAsync() => RequireLocal(nameof(StopAsync)).StopAsync();

    /// <summary>
    /// Starts the stopped redis-server again on the same port and data folder (empty: nothing is persisted);
    /// returns once it answers PING. Only for <see cref="ServerSources.LocalProcess"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The server was not started here as a local process.</exception>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RequireLocal(nameof(StartAgainAsync)).StartAgainAsync(cancellationToken);

    /// <summary>Stops and removes what was started here (process and data folder, or container); never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
        }

        if (_container is not null)
        {
            try
            {
                await _container.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Dispose must not throw; Testcontainers' resource reaper removes a container left behind.
            }
        }
    }

    private LocalRedisProcess RequireLocal(string operation) =>
        _local ?? throw new NotSupportedException(
            $"{operation} works only for a Redis this library started as a local process; this one comes from "
            + $"'{Source}' ({ConnectionString}) and cannot be stopped and restarted on the same port from here. "
            + $"Unset {ResolutionOptions.RedisVariable} and run without Docker to get a local redis-server.");
}
