using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace StarGuide.Testing;

/// <summary>
/// A server in a Testcontainers container of one of the project's images, published on a fixed loopback port so that
/// a stop and a start of the same container keep its port and data (outage tests work as with a local process).
/// Labelled <see cref="DockerEngine.TestLabel"/>; dispose removes it with its volumes.
/// </summary>
internal sealed class ServerContainer : IOwnedServer
{
    private const int LogLinesInErrors = 20;

    private readonly IContainer _container;
    private readonly Func<CancellationToken, Task<string?>> _probe;
    private readonly CancellationTokenSource _disposing;
    private readonly DockerClientConfiguration _engineConfiguration;
    private readonly DockerClient _engine;
    private int _created;
    private int _disposed;

    private ServerContainer(
        IContainer container,
        IDockerEndpointAuthenticationConfiguration engine,
        Func<CancellationToken, Task<string?>> probe,
        string what,
        int hostPort)
    {
        _container = container;
        _probe = probe;
        _disposing = new CancellationTokenSource();
        _engineConfiguration = engine.GetDockerClientConfiguration();
        _engine = _engineConfiguration.CreateClient();
        What = what;
        HostPort = hostPort;
        _container.Created += (_, _) => Volatile.Write(ref _created, 1);
    }

    /// <summary>The published port on 127.0.0.1; the same after every restart.</summary>
    internal int HostPort { get; }

    /// <summary>The Docker container ID.</summary>
    internal string Id => _container.Id;

    /// <summary>For messages, e.g. "starguide/redis:local container on 127.0.0.1:40123".</summary>
    internal string What { get; }

    /// <summary>What the last probe that failed said; null before the first.</summary>
    private string? LastFailure { get; set; }

    /// <summary>
    /// Creates and starts a container of <paramref name="image"/> from <paramref name="builder"/> (a Testcontainers module's
    /// builder, e.g. RabbitMqBuilder); returns once the module's own readiness check passes and then
    /// <paramref name="probe"/> says the server answers on the published port. Never pulls the image.
    /// </summary>
    /// <param name="builder">The module's builder with what the image needs besides (e.g. credentials, environment).</param>
    /// <param name="probe">Given the host port: null once the server serves clients (see <see cref="ServerProbes"/>).</param>
    /// <returns>The server, and the module's container (for its GetConnectionString()).</returns>
    /// <remarks>
    /// No wait strategy is added: in Testcontainers 3.10 WithWaitStrategy replaces the module's (ContainerConfiguration
    /// combines them as one value), and the module's check is what an image must satisfy (docs/deploy.md).
    /// </remarks>
    internal static async Task<(ServerContainer Server, TContainer Container)> StartAsync<TBuilder, TContainer>(
        IDockerEndpointAuthenticationConfiguration engine,
        TBuilder builder,
        string image,
        int containerPort,
        Func<int, CancellationToken, Task<string?>> probe,
        CancellationToken cancellationToken)
        where TBuilder : IContainerBuilder<TBuilder, TContainer>
        where TContainer : IContainer
    {
        var hostPort = FreePort.Next();
        var container = builder
            .WithDockerEndpoint(engine)
            .WithImage(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithPortBinding(hostPort, containerPort)
            .WithCreateParameterModifier(PublishOnLoopbackOnly)
            .WithLabel(DockerEngine.TestLabel, "true")
            .WithLogger(NullLogger.Instance)
            .Build();
        var server = await IOwnedServer.StartOrDisposeAsync(
            new ServerContainer(container, engine, ct => probe(hostPort, ct), $"{image} container on 127.0.0.1:{hostPort}", hostPort),
            s => s.StartAgainAsync(cancellationToken)).ConfigureAwait(false);
        return (server, container);
    }

    /// <summary>
    /// docker start (the first time: create and start); returns once the module's check passes and the server answers on
    /// the same port. A container that exits meanwhile fails the start at once, with its exit code and last log lines.
    /// </summary>
    /// <remarks>
    /// The module's check alone would not notice the exit: the RabbitMQ one reads the log of a dead container until its
    /// timeout. So the start is raced against a watch of the container's state.
    /// </remarks>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var startedBefore = await StartedAtAsync(cancellationToken).ConfigureAwait(false);
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(starting.Token);
        var ready = StartAndProbeAsync(starting.Token);
        var exit = ExitDuringStartAsync(startedBefore, watching.Token);
        if (await Task.WhenAny(ready, exit).ConfigureAwait(false) == exit && exit.IsCompletedSuccessfully)
        {
            // Testcontainers' wait would poll the dead container until its timeout: end it, then report.
            await starting.CancelAsync().ConfigureAwait(false);
            await SettleAsync(ready).ConfigureAwait(false);
            throw new InvalidOperationException(await DescribeAsync(
                $"exited during start-up (exit code {exit.Result.ToString(CultureInfo.InvariantCulture)})").ConfigureAwait(false));
        }

        // The start ended (or the watch failed, which must not fail a start that may still succeed).
        try
        {
            await ready.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A container that exited will never answer: that is the cause, whichever wait gave up on it.
            var exited = _container.State is TestcontainersStates.Exited or TestcontainersStates.Dead;
            var cause = ex is TimeoutException ? string.Empty : $"; {ex.Message}";
            var problem = exited ? $"exited during start-up (exit code {await ExitCodeAsync().ConfigureAwait(false)}{cause})"
                : ex is TimeoutException ? "was not ready in time" : $"did not start ({ex.Message})";
            var message = await DescribeAsync(problem).ConfigureAwait(false);
            throw ex is TimeoutException && !exited ? new TimeoutException(message, ex) : new InvalidOperationException(message, ex);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await SettleAsync(exit).ConfigureAwait(false);
        }
    }

    /// <summary>docker stop (SIGTERM, killed after 15 s); the container, its port and its data stay for a restart.</summary>
    public Task StopAsync() => _container.StopAsync();

    /// <summary>Removes the container and its volumes; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        try
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Dispose must not throw; the label finds what is left (CI removes such containers before and after its run).
        }

        _disposing.Dispose();
        _engine.Dispose();
        _engineConfiguration.Dispose();
    }

    // Testcontainers publishes on 0.0.0.0; a test server has no business on the machine's other interfaces.
    private static void PublishOnLoopbackOnly(Docker.DotNet.Models.CreateContainerParameters parameters)
    {
        foreach (var binding in parameters.HostConfig.PortBindings.Values.SelectMany(bindings => bindings))
        {
            binding.HostIP = "127.0.0.1";
        }
    }

    // The module's check, then the probe on the published port (e.g. that the credentials given are the server's).
    private async Task StartAndProbeAsync(CancellationToken cancellationToken)
    {
        await _container.StartAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.StartNew();
        while (await _probe(cancellationToken).ConfigureAwait(false) is { } failure)
        {
            LastFailure = failure;
            if (elapsed.Elapsed >= Readiness.Timeout)
            {
                throw new TimeoutException();
            }

            await Task.Delay(Readiness.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // Waits for a task whose outcome no longer matters; its exception is observed, not thrown.
    private static Task SettleAsync(Task task) => task.ContinueWith(
        t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task<string> DescribeAsync(string problem) =>
        $"{What} {problem}; last attempt to reach it: {LastFailure ?? "none yet"}. "
        + $"Last log lines:{Environment.NewLine}{await LastLogLinesAsync().ConfigureAwait(false)}";

    // When the container last started, as the engine says; null before it was created.
    private async Task<string?> StartedAtAsync(CancellationToken cancellationToken) => Volatile.Read(ref _created) == 1
        ? (await _engine.Containers.InspectContainerAsync(_container.Id, cancellationToken).ConfigureAwait(false)).State.StartedAt
        : null;

    /// <summary>
    /// Completes with the exit code once the container stopped after a start later than <paramref name="startedBefore"/>
    /// (the state of a container stopped for an outage must not count); runs until cancelled otherwise.
    /// </summary>
    private async Task<long> ExitDuringStartAsync(string? startedBefore, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Readiness.PollInterval, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _created) == 0)
            {
                continue;
            }

            var state = (await _engine.Containers.InspectContainerAsync(_container.Id, cancellationToken).ConfigureAwait(false)).State;
            if (state.Status is "exited" or "dead" && state.StartedAt != startedBefore)
            {
                return state.ExitCode;
            }
        }
    }

    private async Task<string> ExitCodeAsync()
    {
        try
        {
            return (await _container.GetExitCodeAsync().ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "unknown";
        }
    }

    private async Task<string> LastLogLinesAsync()
    {
        try
        {
            var (stdout, stderr) = await _container.GetLogsAsync(timestampsEnabled: false).ConfigureAwait(false);
            var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return string.Join(Environment.NewLine, lines.TakeLast(LogLinesInErrors));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"(none: {ex.Message})";
        }
    }
}
