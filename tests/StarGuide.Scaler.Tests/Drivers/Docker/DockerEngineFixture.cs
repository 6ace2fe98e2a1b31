using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>
/// The Docker engine the driver would use (DOCKER_HOST or the default socket) and a test image built on it from a tar of
/// busybox (no registry is needed). Every container the tests start carries <see cref="RunLabel"/>; on dispose they and
/// the image are removed, also after failed tests. Without an engine (or busybox-static for the image) <see cref="Missing"/>
/// says what and why, and <see cref="Require"/> skips the test or, where the run requires it (<see cref="NeedPolicy"/>),
/// fails it.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    // A missing socket fails at once; this only bounds an engine that is there but slow (a busy machine).
    private static readonly TimeSpan _probeBudget = TimeSpan.FromSeconds(15);

    private DockerClientConfiguration? _configuration;

    public string Endpoint { get; } = DockerEndpoint.Resolve(new DockerDriverOptions());

    /// <summary>Label key and value put on every test container (through the driver's Labels setting).</summary>
    public (string Key, string Value) RunLabel { get; } = ("starguide-test-run", Guid.NewGuid().ToString("N")[..12]);

    public string Image => $"starguide-test/busybox-httpd:{RunLabel.Value}";

    /// <summary>What the tests lack here and why; null when the engine answers and the image is built.</summary>
    public (Need Need, string Problem)? Missing { get; private set; }

    /// <summary>Skips the test, or fails it where the run requires the need, unless the engine and the image are there.</summary>
    public void Require()
    {
        if (Missing is { } missing)
        {
            missing.Need.Check(missing.Problem);
        }
    }

    /// <summary>A client of its own, for what the tests do "from outside" (docker kill, inspect).</summary>
    public DockerClient Client { get; private set; } = null!;

    public TimeSpan ImageBuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (BusyboxHttpImage.Problem() is { } problem)
        {
            Missing = (Need.BusyboxStatic, problem);
            return;
        }

        _configuration = new DockerClientConfiguration(new Uri(Endpoint));
        Client = _configuration.CreateClient();
        try
        {
            using var budget = new CancellationTokenSource(_probeBudget);
            await Client.System.PingAsync(budget.Token);
        }
        catch (Exception ex)
        {
            Missing = (Need.Docker, $"no Docker engine answers at {Endpoint} ({ex.GetBaseException().Message}); run .ci/docker-engine.sh");
            return;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var rootfs = BusyboxHttpImage.RootFileSystem();
        var parameters = new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = Image.Split(':')[0],
            Tag = RunLabel.Value,
            Changes = [$"CMD {BusyboxHttpImage.Command}", "ENV PORT=8080"],
        };
        await Client.Images.CreateImageAsync(parameters, rootfs, null, new Progress<JSONMessage>());
        ImageBuildTime = started.Elapsed;
    }

    public async Task RemoveContainersAsync(string? pool = null)
    {
        var labels = new Dictionary<string, bool> { [$"{RunLabel.Key}={RunLabel.Value}"] = true };
        if (pool is not null)
        {
            labels[$"{DockerLabels.Pool}={pool}"] = true;
        }

        var containers = await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        });
        foreach (var container in containers)
        {
            await RemoveContainerAsync(container.ID);
        }
    }

    public async Task RemoveContainerAsync(string nameOrId)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(nameOrId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
    }

    public async Task DisposeAsync()
    {
        if (Missing is null)
        {
            await RemoveContainersAsync();
            try
            {
                await Client.Images.DeleteImageAsync(Image, new ImageDeleteParameters { Force = true });
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }

        Client?.Dispose();
        _configuration?.Dispose();
    }
}
