using Testcontainers.RabbitMq;

namespace StarGuide.Testing;

/// <summary>
/// A real RabbitMQ broker for tests: the one named by STARGUIDE_TEST_RABBITMQ, else a Testcontainers
/// container when Docker answers, else a local node started from the Debian package on free ports.
/// Dispose stops whatever was started here.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private readonly LocalRabbitMqNode? _local;
    private readonly RabbitMqContainer? _container;
    private int _disposed;

    private RabbitMqServer(Uri amqpUri, string connectionString, string source, LocalRabbitMqNode? local, RabbitMqContainer? container)
    {
        AmqpUri = amqpUri;
        ConnectionString = connectionString;
        Source = source;
        _local = local;
        _container = container;
    }

    /// <summary>The broker's AMQP URI, e.g. amqp://guest:guest@127.0.0.1:5672/ (for ConnectionFactory.Uri).</summary>
    public Uri AmqpUri { get; }

    /// <summary>The same URI as a string, for configuration (e.g. ConnectionStrings:rabbitmq).</summary>
    public string ConnectionString { get; }

    /// <summary>Where the broker comes from: one of the <see cref="ServerSources"/> values.</summary>
    public string Source { get; }

    /// <summary>PIDs of the local node's processes (launcher, Erlang VM, epmd); empty for other sources.</summary>
    internal IReadOnlyList<int> ProcessIds => _local?.ProcessIds ?? [];

    /// <summary>The local node's data folder; null for other sources.</summary>
    internal string? DataDirectory => _local?.DataDirectory;

    /// <summary>Resolves and starts a broker (see the class summary); returns once it accepts an AMQP connection.</summary>
    public static Task<RabbitMqServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(ResolutionOptions.Default, cancellationToken);

    internal static async Task<RabbitMqServer> StartAsync(ResolutionOptions options, CancellationToken cancellationToken)
    {
        if (options.Read(ResolutionOptions.RabbitMqVariable) is { } value)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            {
                throw new InvalidOperationException(
                    $"{ResolutionOptions.RabbitMqVariable} must be an absolute amqp:// or amqps:// URI such as "
                    + $"amqp://guest:guest@127.0.0.1:5672/, but is '{value}'.");
            }

            return new RabbitMqServer(uri, value, ServerSources.Environment, local: null, container: null);
        }

        if (options.TryTestcontainers)
        {
            var container = await DockerProbe.TryBuildAsync(() => new RabbitMqBuilder("rabbitmq:3.13-management").Build(), cancellationToken)
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

                var connectionString = container.GetConnectionString();
                return new RabbitMqServer(new Uri(connectionString), connectionString, ServerSources.Testcontainers, local: null, container);
            }
        }

        return await StartLocalProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Always a local node, whatever the environment says: for outage tests.</summary>
    internal static async Task<RabbitMqServer> StartLocalProcessAsync(CancellationToken cancellationToken)
    {
        var serverScript = LocalExecutables.FindRabbitMqServer();
        var epmd = LocalExecutables.FindEpmd();
        if (serverScript is null || epmd is null)
        {
            throw new InvalidOperationException(LocalExecutables.MissingExecutableMessage(
                "RabbitMQ",
                ResolutionOptions.RabbitMqVariable,
                "rabbitmq-server",
                [(LocalExecutables.RabbitMqServerScript, serverScript), ("epmd (on PATH, from Erlang)", epmd)],
                DockerProbe.UnavailableReason));
        }

        var node = await LocalRabbitMqNode.StartAsync(serverScript, LocalExecutables.FindRabbitMqCtl(), epmd, cancellationToken)
            .ConfigureAwait(false);
        return new RabbitMqServer(node.AmqpUri, node.AmqpUri.AbsoluteUri, ServerSources.LocalProcess, node, container: null);
    }

    /// <summary>
    /// Stops the local node to simulate a broker outage (rabbitmqctl stop, killed after 15 s); ports and data
    /// stay reserved for <see cref="StartAgainAsync"/>. Only for <see cref="ServerSources.LocalProcess"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The broker was not started here as a local process.</exception>
    public Task StopAsync() => RequireLocal(nameof(StopAsync)).StopAsync();

    /// <summary>
    /// Starts the stopped node again with the same name, port and data (durable queues survive); returns once
    /// it accepts an AMQP connection. Only for <see cref="ServerSources.LocalProcess"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The broker was not started here as a local process.</exception>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RequireLocal(nameof(StartAgainAsync)).StartAgainAsync(cancellationToken);

    /// <summary>Stops and removes what was started here (processes and data folder, or container); never throws.</summary>
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

    private LocalRabbitMqNode RequireLocal(string operation) =>
        _local ?? throw new NotSupportedException(
            $"{operation} works only for a RabbitMQ this library started as a local process; this one comes from "
            + $"'{Source}' ({AmqpUri.Host}:{AmqpUri.Port}) and cannot be stopped and restarted on the same port from here. "
            + $"Unset {ResolutionOptions.RabbitMqVariable} and run without Docker to get a local node.");
}
