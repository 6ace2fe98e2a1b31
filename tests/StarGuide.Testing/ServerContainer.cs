using System.Globalization;
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
    private int _disposed;

    private ServerContainer(IContainer container, Answers answers, CancellationTokenSource disposing, string what, int hostPort)
    {
        _container = container;
        _answers = answers;
        _disposing = disposing;
        What = what;
        HostPort = hostPort;
    }

    /// <summary>The published port on 127.0.0.1; the same after every restart.</summary>
    internal int HostPort { get; }

    /// <summary>The Docker container ID.</summary>
    internal string Id => _container.Id;

    /// <summary>For messages, e.g. "starguide/redis:local container on 127.0.0.1:40123".</summary>
    internal string What { get; }

    /// <summary>
    /// Creates and starts a container of <paramref name="image"/>; returns once <paramref name="probe"/> says the server
    /// answers on the published port. Never pulls the image.
    /// </summary>
    /// <param name="configure">What the image needs besides (e.g. its environment).</param>
    /// <param name="probe">Given the host port: null once the server serves clients (see <see cref="ServerProbes"/>).</param>
    /// <remarks>
    /// Testcontainers' RabbitMQ and Redis modules are not used: they are made for the public images, and their readiness
    /// checks (a log line, redis-cli inside the container) wait a minute for a container that has already exited.
    /// </remarks>
    internal static async Task<ServerContainer> StartAsync(
        IDockerEndpointAuthenticationConfiguration engine,
        string image,
        int containerPort,
        Func<ContainerBuilder, ContainerBuilder> configure,
        Func<int, CancellationToken, Task<string?>> probe,
        CancellationToken cancellationToken)
    {
        var hostPort = FreePort.Next();
        var disposing = new CancellationTokenSource();
        var answers = new Answers(ct => probe(hostPort, ct), disposing.Token);
        var container = configure(new ContainerBuilder())
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
        return await IOwnedServer.StartOrDisposeAsync(
            new ServerContainer(container, answers, disposing, $"{image} container on 127.0.0.1:{hostPort}", hostPort),
            server => server.StartAgainAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>docker start (the first time: create and start); returns once the server answers on the same port.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A container that exited will never answer: that is the cause, whichever wait gave up on it.
            var exited = _container.State is TestcontainersStates.Exited or TestcontainersStates.Dead;
            var cause = ex is TimeoutException ? string.Empty : $"; {ex.Message}";
            var problem = exited ? $"exited during start-up (exit code {await ExitCodeAsync().ConfigureAwait(false)}{cause})"
                : ex is TimeoutException ? "was not ready in time" : $"did not start ({ex.Message})";
            var message = $"{What} {problem}; last attempt to reach it: {_answers.LastFailure ?? "none yet"}. "
                + $"Last log lines:{Environment.NewLine}{await LastLogLinesAsync().ConfigureAwait(false)}";
            throw ex is TimeoutException && !exited ? new TimeoutException(message, ex) : new InvalidOperationException(message, ex);
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
    }

    // Testcontainers publishes on 0.0.0.0; a test server has no business on the machine's other interfaces.
    private static void PublishOnLoopbackOnly(Docker.DotNet.Models.CreateContainerParameters parameters)
    {
        foreach (var binding in parameters.HostConfig.PortBindings.Values.SelectMany(bindings => bindings))
        {
            binding.HostIP = "127.0.0.1";
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
