using System.Net;
using Docker.DotNet;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace StarGuide.Testing;

/// <summary>
/// The Docker engine for test containers: Testcontainers set up for this machine, and the check that says why a
/// container cannot run before anything is started.
/// </summary>
internal static class DockerEngine
{
    /// <summary>Label on every container started here: <c>docker ps -a --filter label=org.starguide.tests=true</c> finds leftovers.</summary>
    internal const string TestLabel = "org.starguide.tests";

    // Bounded because a hung engine socket must not eat the test run's time.
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(10);

    // Testcontainers looks for an engine once, in static initializers that ping it without a time limit.
    private static readonly Lazy<IDockerEndpointAuthenticationConfiguration?> _found = new(() =>
    {
        // Ryuk, the reaper container, has no image here (nothing can be pulled); dispose removes each container instead.
        TestcontainersSettings.ResourceReaperEnabled = false;

        // Testcontainers' own waits (until the container runs) would otherwise wait up to an hour.
        TestcontainersSettings.WaitStrategyTimeout = Readiness.Timeout;

        // The modules' readiness checks poll every second by default; a server that is ready should not wait for that.
        TestcontainersSettings.WaitStrategyInterval = Readiness.PollInterval;

        // Containers are published on the engine host's 127.0.0.1 only (ServerContainer); the modules' connection strings
        // would otherwise name the bridge's gateway (172.17.0.1) whenever this process runs in a container (/.dockerenv).
        TestcontainersSettings.DockerHostOverride = "127.0.0.1";
        return TestcontainersSettings.OS.DockerEndpointAuthConfig;
    });

    /// <summary>The engine when it answers and has <paramref name="image"/>; otherwise why not and what to do.</summary>
    /// <param name="endpoint">The engine to use; null: the one Testcontainers finds (DOCKER_HOST, else the default socket).</param>
    internal static async Task<DockerCheck> CheckAsync(Uri? endpoint, string image, CancellationToken cancellationToken)
    {
        IDockerEndpointAuthenticationConfiguration? engine;
        try
        {
            var found = await Task.Run(() => _found.Value, cancellationToken).WaitAsync(_budget, cancellationToken).ConfigureAwait(false);
            engine = endpoint is null ? found : new DockerEndpointAuthenticationConfiguration(endpoint);
        }
        catch (TimeoutException)
        {
            return DockerCheck.Failed($"no Docker engine answered within {_budget.TotalSeconds:0} s");
        }

        if (engine is null)
        {
            return DockerCheck.Failed(
                $"no Docker engine answers (DOCKER_HOST={Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unset"}, "
                + "nor the default socket /var/run/docker.sock); start one, e.g. with bash .ci/docker-engine.sh");
        }

        using var configuration = engine.GetDockerClientConfiguration();
        using var client = configuration.CreateClient();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_budget);
        try
        {
            await client.System.PingAsync(budget.Token).ConfigureAwait(false);
            await client.Images.InspectImageAsync(image, budget.Token).ConfigureAwait(false);
            return new DockerCheck(engine, Problem: null);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return DockerCheck.Failed(
                $"the Docker engine at {engine.Endpoint} has no image {image}: run bash deploy/build-images.sh "
                + "(the project's images are built here, never pulled)") with { ImageMissing = true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DockerCheck.Failed(
                $"no Docker engine answers at {engine.Endpoint} ({ex.GetBaseException().Message}); start one, e.g. with bash .ci/docker-engine.sh");
        }
    }
}

/// <summary>The outcome of <see cref="DockerEngine.CheckAsync"/>: the engine to use, or the problem (cause and fix).</summary>
internal sealed record DockerCheck(IDockerEndpointAuthenticationConfiguration? Engine, string? Problem)
{
    /// <summary>The engine answers but lacks the image (as opposed to no engine at all).</summary>
    internal bool ImageMissing { get; init; }

    internal static DockerCheck Failed(string problem) => new(Engine: null, problem);
}
