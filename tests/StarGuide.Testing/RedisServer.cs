using System.Security.Cryptography;
using DotNet.Testcontainers.Configurations;
using Testcontainers.Redis;

namespace StarGuide.Testing;

/// <summary>
/// A real Redis for tests. Where it comes from is chosen by STARGUIDE_TEST_SERVERS (auto, local or containers; see
/// README.md): the server named by STARGUIDE_TEST_REDIS, a local redis-server on a free port, or a container of
/// starguide/redis:local started through Testcontainers.Redis. Dispose stops and removes whatever was started here.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly ServerKind _kind = new("Redis", ResolutionOptions.RedisVariable, "redis-server");

    private readonly IOwnedServer? _owned;
    private int _disposed;

    private RedisServer(string connectionString, string source, IOwnedServer? owned)
    {
        ConnectionString = connectionString;
        Source = source;
        _owned = owned;
    }

    /// <summary>StackExchange.Redis connection string, e.g. "127.0.0.1:6390" (a container's adds ",password=…").</summary>
    public string ConnectionString { get; }

    /// <summary>Where the server comes from: one of the <see cref="ServerSources"/> values.</summary>
    public string Source { get; }

    /// <summary>True when the tests started the server, so <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> work.</summary>
    public bool SupportsOutages => _owned is not null;

    /// <summary>PID of the local redis-server while it runs; null for other sources or while stopped.</summary>
    internal int? ProcessId => (_owned as LocalRedisProcess)?.ProcessId;

    /// <summary>The local server's data folder; null for other sources.</summary>
    internal string? DataDirectory => (_owned as LocalRedisProcess)?.DataDirectory;

    /// <summary>The container; null for other sources.</summary>
    internal ServerContainer? Container => _owned as ServerContainer;

    /// <summary>Resolves and starts a Redis (see the class summary); returns once it answers PING.</summary>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(ResolutionOptions.Default, cancellationToken);

    internal static Task<RedisServer> StartAsync(ResolutionOptions options, CancellationToken cancellationToken)
    {
        var redisServer = LocalExecutables.FindRedisServer();
        return ServerResolution.StartAsync(
            options,
            new ServerRecipe<RedisServer>(
                _kind,
                options.RedisImage,
                [("redis-server (on PATH)", redisServer)],
                connectionString => new RedisServer(connectionString, ServerSources.Environment, owned: null),
                ct => StartLocalAsync(redisServer!, ct),
                (engine, ct) => StartContainerAsync(engine, options.RedisImage, ct)),
            cancellationToken);
    }

    /// <summary>
    /// Stops the server to simulate an outage (redis-cli shutdown, or docker stop); the port stays reserved for
    /// <see cref="StartAgainAsync"/>. Only for a server the tests started.
    /// </summary>
    /// <exception cref="NotSupportedException">The server comes from STARGUIDE_TEST_REDIS.</exception>
    public Task StopAsync() => RequireOwned(nameof(StopAsync)).StopAsync();

    /// <summary>
    /// Starts the stopped server again on the same port, empty (nothing is persisted); returns once it answers PING.
    /// Only for a server the tests started.
    /// </summary>
    /// <exception cref="NotSupportedException">The server comes from STARGUIDE_TEST_REDIS.</exception>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RequireOwned(nameof(StartAgainAsync)).StartAgainAsync(cancellationToken);

    /// <summary>Stops and removes what was started here (process and data folder, or container); never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<RedisServer> StartLocalAsync(string redisServer, CancellationToken cancellationToken)
    {
        var local = await LocalRedisProcess.StartAsync(redisServer, LocalExecutables.FindRedisCli(), cancellationToken)
            .ConfigureAwait(false);
        return new RedisServer(local.ConnectionString, ServerSources.LocalProcess, local);
    }

    private static async Task<RedisServer> StartContainerAsync(
        IDockerEndpointAuthenticationConfiguration engine, string image, CancellationToken cancellationToken)
    {
        // Redis in a container is not on the client's loopback, so without a password it refuses clients (protected mode).
        // Given as arguments to redis-server, as the public image takes it (the module has no password of its own).
        var password = RandomNumberGenerator.GetHexString(24, lowercase: true);
        var (server, container) = await ServerContainer.StartAsync<RedisBuilder, RedisContainer>(
            engine,
            new RedisBuilder().WithCommand("--requirepass", password),
            image,
            RedisBuilder.RedisPort,
            (port, ct) => ServerProbes.RedisPingAsync(port, password, ct),
            cancellationToken).ConfigureAwait(false);
        return new RedisServer($"{container.GetConnectionString()},password={password}", ServerSources.Testcontainers, server);
    }

    private IOwnedServer RequireOwned(string operation) =>
        ServerResolution.RequireOwned(_owned, operation, _kind, Source, ConnectionString);
}
