using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.IntegrationTests.Support;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system as a user runs it: the AppHost with RabbitMQ, Redis, every service and the sample instances,
/// with the gateway on a free port. Disposing stops every process the AppHost started.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    // Generous: an official CI run once found the gateway not healthy after 3 min (likely the FreePort repeat, since fixed).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, OutputRingBuffer> _logs = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _states = new();
    private readonly CancellationTokenSource _stopWatching = new();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public HttpClient Gateway { get; private set; } = new();

    /// <summary>The gateway's management listener (<c>/metrics</c>), with the operate token the AppHost was given.</summary>
    public HttpClient GatewayManagement { get; private set; } = new();

    /// <summary>The scaler's HTTP endpoint (<c>GET /pools</c>), with the operate token the AppHost was given.</summary>
    public HttpClient Scaler { get; private set; } = new();

    internal Task<PoolStatus?> PoolAsync(string pool) => Scaler.PoolAsync(pool);

    /// <summary>Each pool as the scaler reported it when the system first counted as up.</summary>
    internal Dictionary<string, PoolStatus> AtStart { get; } = [];

    public async Task InitializeAsync()
    {
        var gatewayPort = FreePort.Next();
        var scalerPort = FreePort.Next();
        var gatewayManagementPort = FreePort.Next();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.StarGuide_AppHost>(
            [$"--StarGuide:GatewayPort={gatewayPort}", $"--StarGuide:ScalerPort={scalerPort}",
             $"--StarGuide:GatewayManagementPort={gatewayManagementPort}",
             $"--StarGuide:OperatorToken={TestManagement.OperateToken}", $"--StarGuide:ViewerToken={TestManagement.ReadToken}"]);
        _app = await builder.BuildAsync();
        WatchLogs(ResourceNames.Scaler, ResourceNames.HealthMonitor, ResourceNames.Gateway, ResourceNames.RabbitMq, ResourceNames.RabbitMqEpmd);
        WatchStates();

        using var timeout = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(timeout.Token);
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Scaler = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{scalerPort}"), Timeout = TimeSpan.FromSeconds(10) }.WithManagementToken();
        GatewayManagement = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayManagementPort}"), Timeout = TimeSpan.FromSeconds(10) }
            .WithManagementToken();
        foreach (var resource in new[] { ResourceNames.Gateway, ResourceNames.HealthMonitor, ResourceNames.Scaler })
        {
            try
            {
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            catch (OperationCanceledException e)
            {
                // Aspire says only "Unhealthy"; the services' own lines say why (e.g. "Waiting for RabbitMQ at ...").
                throw new TimeoutException($"{resource} was not healthy {StartTimeout.TotalMinutes} min after the AppHost "
                    + $"started: {e.Message}{Environment.NewLine}{await DiagnosticsAsync(ResourceNames.BackendPool)}", e);
            }
        }
        // The scaler starts the sample instances; the system is up once both pools have (at least) their two
        // instances ready. The backend pool autoscales on CPU, so on a loaded machine it may be bigger than that.
        foreach (var pool in new[] { ResourceNames.BackendPool, ResourceNames.FrontendPool })
        {
            try
            {
                PoolStatus? status = null;
                await Eventually.TrueAsync(async () => (status = await PoolAsync(pool))?.Ready >= 2, StartTimeout, $"pool {pool} never had 2 ready instances");
                AtStart[pool] = status!;
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; {await DiagnosticsAsync(pool)}", e);
            }
        }
    }

    /// <summary>The pool as the scaler sees it and what the services last logged, for a failure message.</summary>
    internal async Task<string> DiagnosticsAsync(string pool)
    {
        string status;
        try
        {
            status = await Scaler.GetStringAsync($"/pools/{pool}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = $"(GET /pools/{pool} failed: {e.Message})";
        }
        var logs = string.Join(Environment.NewLine, _logs.Select(l => $"--- {l.Key} (last lines) ---{Environment.NewLine}{l.Value.Tail(60)}"));
        var states = string.Join(", ", _states.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        return $"the scaler says {status}{Environment.NewLine}resources: {states}{Environment.NewLine}{logs}";
    }

    /// <summary>Keeps each resource's last state (e.g. "Exited (exit code 1)"): a dependency that died stops its dependents.</summary>
    private void WatchStates()
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in App.ResourceNotifications.WatchAsync(_stopWatching.Token))
                {
                    var snapshot = update.Snapshot;
                    _states[update.Resource.Name] = $"{snapshot.State?.Text ?? "?"}"
                        + (snapshot.ExitCode is { } code ? $" (exit code {code})" : "")
                        + (snapshot.HealthStatus is { } health ? $" {health}" : "");
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>Keeps the last lines each service logs (the AppHost keeps them only for its dashboard).</summary>
    private void WatchLogs(params string[] resources)
    {
        var loggers = App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in resources)
        {
            var buffer = _logs[resource] = new OutputRingBuffer();
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(_stopWatching.Token))
                    {
                        foreach (var line in batch)
                        {
                            buffer.Add(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
    }

    public async Task DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        _stopWatching.Dispose();
        Gateway.Dispose();
        GatewayManagement.Dispose();
        Scaler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
