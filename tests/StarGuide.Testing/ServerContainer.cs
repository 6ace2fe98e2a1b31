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
    private readonly Answers _answers;
    private readonly CancellationTokenSource _disposing;
    private readonly DockerClientConfiguration _engineConfiguration;
    private readonly DockerClient _engine;
    private int _created;
    private int _disposed;

    private ServerContainer(
        IContainer container, IDockerEndpointAuthenticationConfiguration engine, Answers answers, CancellationTokenSource disposing, string what, int hostPort)
    {
        _container = container;
        _answers = answers;
        _disposing = disposing;
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

    /// <summary>
    /// Creates and starts a container of <paramref name="image"/> from <paramref name="builder"/> (a Testcontainers module's
    /// builder, e.g. RabbitMqBuilder, or the core ContainerBuilder); returns once the module's own readiness checks pass
    /// and <paramref name="probe"/> says the server answers on the published port. Never pulls the image.
    /// </summary>
    /// <param name="builder">The module's builder with what the image needs besides (e.g. credentials, environment).</param>
    /// <param name="probe">Given the host port: null once the server serves clients (see <see cref="ServerProbes"/>).</param>
    /// <returns>The server, and the module's container (for its GetConnectionString()).</returns>
    /// <remarks>
    /// The modules' readiness checks (RabbitMQ: the start-up-complete log line; Redis: redis-cli ping inside the container)
    /// run before any wait strategy added here (Testcontainers 3.10 appends wait strategies and runs them in order), and
    /// the log check polls a container that has exited until the timeout. So the exit is watched beside the start, not in
    /// a wait strategy: see <see cref="StartAgainAsync"/>.
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
        var disposing = new CancellationTokenSource();
        var answers = new Answers(ct => probe(hostPort, ct), disposing.Token);
        var container = builder
            .WithDockerEndpoint(engine)
            .WithImage(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithPortBinding(hostPort, containerPort)
            .WithCreateParameterModifier(PublishOnLoopbackOnly)
            .WithLabel(DockerEngine.TestLabel, "true")
            .WithLogger(NullLogger.Instance)
            .WithWaitStrategy(Wait.ForUnixContainer().AddCustomWaitStrategy(
                answers,
                wait => wait.WithInterval(Readiness.PollInterval).WithTimeout(Readiness.Timeout)))
            .Build();
        var server = await IOwnedServer.StartOrDisposeAsync(
            new ServerContainer(container, engine, answers, disposing, $"{image} container on 127.0.0.1:{hostPort}", hostPort),
            s => s.StartAgainAsync(cancellationToken)).ConfigureAwait(false);
        return (server, container);
    }

    /// <summary>
    /// docker start (the first time: create and start); returns once the server answers on the same port. A container
    /// that exits meanwhile fails the start at once, with its exit code and last log lines.
    /// </summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var startedBefore = await StartedAtAsync(cancellationToken).ConfigureAwait(false);
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(starting.Token);
        var start = _container.StartAsync(starting.Token);
        var exit = ExitDuringStartAsync(startedBefore, watching.Token);
        if (await Task.WhenAny(start, exit).ConfigureAwait(false) == exit && exit.IsCompletedSuccessfully)
        {
            // Testcontainers' waits would poll the dead container until their timeout: end them, then report.
            await starting.CancelAsync().ConfigureAwait(false);
            await SettleAsync(start).ConfigureAwait(false);
            throw new InvalidOperationException(await DescribeAsync(
                $"exited during start-up (exit code {exit.Result.ToString(CultureInfo.InvariantCulture)})").ConfigureAwait(false));
        }

        // The start ended (or the watch failed, which must not fail a start that may still succeed).
        try
        {
            await start.ConfigureAwait(false);
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

    // Waits for a task whose outcome no longer matters; its exception is observed, not thrown.
    private static Task SettleAsync(Task task) => task.ContinueWith(
        t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task<string> DescribeAsync(string problem) =>
        $"{What} {problem}; last attempt to reach it: {_answers.LastFailure ?? "none yet"}. "
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

    /// <summary>Ready once the probe succeeds; fails at once when the container has exited (it will never answer).</summary>
    private sealed class Answers(Func<CancellationToken, Task<string?>> probe, CancellationToken disposing) : IWaitUntil
    {
        /// <summary>What the last probe that failed said; null before the first.</summary>
        internal string? LastFailure { get; private set; }

        public async Task<bool> UntilAsync(IContainer container)
        {
            // Testcontainers keeps polling a wait that timed out; disposing the container ends it.
            disposing.ThrowIfCancellationRequested();
            if (container.State is TestcontainersStates.Exited or TestcontainersStates.Dead)
            {
                throw new InvalidOperationException("the container exited");
            }

            var failure = await probe(disposing).ConfigureAwait(false);
            LastFailure = failure ?? LastFailure;
            return failure is null;
        }
    }
}
