using System.Collections.Concurrent;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>Runs a pool's instances as containers on one Docker engine; see <see cref="DockerDriverOptions"/>.</summary>
internal sealed class DockerDriver : IInstanceDriver, IInstanceCpuMeter, IAsyncDisposable
{
    private static readonly TimeSpan _forgetStopping = TimeSpan.FromMinutes(10);

    private readonly string _pool;
    private readonly DockerDriverOptions _options;
    private readonly DockerEngine _engine;
    private readonly DockerExitWatcher _watcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Containers this driver is stopping: their "die" is no news to the controller.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _stopping = new(StringComparer.Ordinal);
    private Action<InstanceExit>? _exited;

    public DockerDriver(string pool, DockerDriverOptions options, TimeProvider time, ILogger logger)
    {
        _pool = pool;
        _options = options;
        _time = time;
        _logger = logger;
        _engine = new DockerEngine(DockerEndpoint.Resolve(options), options.ApiTimeout);
        _watcher = new DockerExitWatcher(_engine, DockerLabels.PoolFilter(pool, options), pool, time, logger, OnDied);
    }

    public string Kind => DockerDriverFactory.DriverKind;

    /// <summary>The first subscriber opens the engine's event stream; without one the driver relies on polling.</summary>
    public event Action<InstanceExit>? Exited
    {
        add
        {
            lock (_gate)
            {
                _exited += value;
                _watcher.Start();
            }
        }
        remove
        {
            lock (_gate)
            {
                _exited -= value;
            }
        }
    }

    public async Task<RunningInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        var name = DockerTemplates.ContainerName(_options.NamePrefix, launch.Pool, launch.InstanceId);
        try
        {
            await EnsureImageAsync(cancellationToken).ConfigureAwait(false);
            await RemoveLeftoverAsync(name, launch, cancellationToken).ConfigureAwait(false);
            var spec = DockerContainerSpec.For(launch, name, _options);
            var created = await _engine.CallAsync($"creating container {name}", (c, t) => c.Containers.CreateContainerAsync(spec, t), cancellationToken).ConfigureAwait(false);
            ContainerInspectResponse container;
            try
            {
                await _engine.CallAsync($"starting container {name}", (c, t) => c.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), t), cancellationToken).ConfigureAwait(false);
                container = await _engine.CallAsync($"inspecting container {name}", (c, t) => c.Containers.InspectContainerAsync(created.ID, t), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException)
            {
                // A container that never ran (port taken, bad command) is of no use for its logs: do not leave it behind.
                await _engine.TryRemoveAsync(created.ID).ConfigureAwait(false);
                throw;
            }

            return Running(launch, name, container);
        }
        catch (DockerApiException ex)
        {
            throw _engine.Refused($"starting {launch.InstanceId} as container {name} of image {_options.Image}", ex);
        }
    }

    public async Task StopAsync(RunningInstance instance, TimeSpan grace, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (id, since) in _stopping)
        {
            if (now - since > _forgetStopping)
            {
                _stopping.TryRemove(id, out _);
            }
        }

        _stopping[instance.Handle] = now;
        var seconds = (uint)Math.Ceiling(Math.Max(0, grace.TotalSeconds));
        try
        {
            // docker stop: the image's stop signal (SIGTERM unless it says otherwise), SIGKILL after the grace period.
            await _engine.CallAsync($"stopping container {instance.Handle}", (c, t) => c.Containers.StopContainerAsync(instance.Handle, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, t), cancellationToken, grace).ConfigureAwait(false);
            await _engine.CallAsync($"removing container {instance.Handle}", (c, t) => c.Containers.RemoveContainerAsync(instance.Handle, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, t), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone, or the engine is already removing it.
        }
        catch (DockerApiException ex)
        {
            throw _engine.Refused($"stopping container {instance.Handle} of {instance.InstanceId}", ex);
        }

        DockerDriverLog.Stopped(_logger, _pool, instance.Handle, instance.InstanceId);
    }

    /// <summary>
    /// The container's CPU time (its cgroup's total usage) from the engine's one-shot stats (API 1.41): what
    /// <c>docker stats</c> computes from, without its wait for a second sample. Null when the container is gone or the
    /// engine does not answer; logged at debug level only, since the autoscaler already says when a signal is missing.
    /// </summary>
    public async ValueTask<TimeSpan?> CpuTimeAsync(string handle, CancellationToken cancellationToken)
    {
        var stats = new LastReport<ContainerStatsResponse>();
        try
        {
            await _engine.CallAsync($"reading the stats of container {handle}", (c, t) => c.Containers.GetContainerStatsAsync(handle,
                new ContainerStatsParameters { Stream = false, OneShot = true }, stats, t), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DockerApiException or InstanceDriverException)
        {
            DockerDriverLog.StatsUnavailable(_logger, _pool, handle, ex.Message);
            return null;
        }
        // A container that is not running reports 0.
        return stats.Value?.CPUStats?.CPUUsage?.TotalUsage is { } nanoseconds and > 0
            ? TimeSpan.FromTicks((long)(nanoseconds / 100))
            : null;
    }

    /// <summary>Keeps what it is given, at once (<see cref="Progress{T}"/> would post it to the thread pool, maybe after the call returned).</summary>
    private sealed class LastReport<T> : IProgress<T>
    {
        public T? Value { get; private set; }

        public void Report(T value) => Value = value;
    }

    public async Task<IReadOnlyList<RunningInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var query = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = DockerLabels.PoolFilter(_pool, _options) },
        };
        IList<ContainerListResponse> containers;
        try
        {
            containers = await _engine.CallAsync("listing containers", (c, t) => c.Containers.ListContainersAsync(query, t), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw _engine.Refused($"listing the containers of pool {_pool}", ex);
        }

        var running = new List<RunningInstance>();
        foreach (var container in containers.Where(c => c.State == "running"))
        {
            var name = container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID;
            if (DockerAddress.Of(container, _options) is not { } address)
            {
                DockerDriverLog.NoAddress(_logger, _pool, name, DockerAddress.ContainerPort(container.Labels, _options), _options.Network);
                continue;
            }

            running.Add(new RunningInstance(InstanceId(container.Labels, name), address, container.ID, new DateTimeOffset(container.Created.ToUniversalTime())));
        }

        await PruneExitedAsync(containers).ConfigureAwait(false);
        return running;
    }

    private async Task EnsureImageAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _engine.CallAsync($"inspecting image {_options.Image}", (c, t) => c.Images.InspectImageAsync(_options.Image, t), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InstanceDriverException(
                $"Image '{_options.Image}' is not on the Docker engine at {_engine.Endpoint}. The docker driver never pulls from a registry: " +
                "build or load it on that engine first (docker build, docker import or docker load).", ex);
        }
    }

    private async Task RemoveLeftoverAsync(string name, InstanceLaunch launch, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.CallAsync($"removing leftover container {name}", (c, t) => c.Containers.RemoveContainerAsync(name, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, t), cancellationToken).ConfigureAwait(false);
            DockerDriverLog.RemovedLeftover(_logger, _pool, name, launch.InstanceId);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private RunningInstance Running(InstanceLaunch launch, string name, ContainerInspectResponse container)
    {
        if (container.State is { Running: false } state)
        {
            throw new InstanceDriverException(
                $"Container {name} of image {_options.Image} exited at once (exit code {state.ExitCode}{(string.IsNullOrEmpty(state.Error) ? "" : ", " + state.Error)}); see docker logs {name}.");
        }

        var address = DockerAddress.Of(container, _options)
            ?? throw new InstanceDriverException($"Container {name} runs but has no address: port {_options.ContainerPort}/tcp was not published and it is not on network '{_options.Network}'.");
        var startedAt = DateTimeOffset.TryParse(container.State?.StartedAt, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : _time.GetUtcNow();
        DockerDriverLog.Started(_logger, _pool, name, container.ID, launch.InstanceId, address);
        return new RunningInstance(launch.InstanceId, address, container.ID, startedAt);
    }

    private async Task PruneExitedAsync(IEnumerable<ContainerListResponse> containers)
    {
        var old = containers
            .Where(c => c.State is "exited" or "dead" && !_stopping.ContainsKey(c.ID))
            .OrderByDescending(c => c.Created)
            .Skip(_options.RetainExited);
        foreach (var container in old)
        {
            var name = container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID;
            if (await _engine.TryRemoveAsync(container.ID).ConfigureAwait(false) is { } failure)
            {
                DockerDriverLog.PruneFailed(_logger, failure, _pool, name);
            }
            else
            {
                DockerDriverLog.PrunedExited(_logger, _pool, name, container.Status);
            }
        }
    }

    private void OnDied(Message message)
    {
        if (_stopping.TryRemove(message.Actor?.ID ?? message.ID ?? "", out _))
        {
            return;
        }

        var attributes = message.Actor?.Attributes ?? new Dictionary<string, string>();
        var name = attributes.TryGetValue("name", out var n) ? n : message.Actor?.ID ?? "";
        var reason = attributes.TryGetValue("exitCode", out var code) ? $"exit code {code}" : "died";
        var exit = new InstanceExit(InstanceId(attributes, name), reason);
        DockerDriverLog.Died(_logger, _pool, message.Actor?.ID ?? "", exit.InstanceId, reason);
        try
        {
            Volatile.Read(ref _exited)?.Invoke(exit);
        }
        catch (Exception ex)
        {
            DockerDriverLog.HandlerFailed(_logger, ex, _pool);
        }
    }

    private static string InstanceId(IDictionary<string, string>? labels, string fallback) =>
        labels is not null && labels.TryGetValue(DockerLabels.Instance, out var id) ? id : fallback;

    public async ValueTask DisposeAsync()
    {
        await _watcher.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
    }
}
