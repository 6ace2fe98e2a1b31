using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using StarGuide.Monitoring.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Monitoring.Tests.Drift;

/// <summary>
/// The four StarGuide services as real processes on a real RabbitMQ and Redis, set up so that the rare series exist
/// too: a <c>backend</c> pool of sample backends with CPU autoscaling on a target every instance exceeds (decisions), a
/// <c>crashy</c> pool whose instances exit at once (replacements, crash-loop back-offs), a gateway pool whose
/// instances refuse connections (5xx, retries, passive ejections), one backup that succeeds and one that fails.
/// </summary>
internal sealed class MonitoredSystem : IAsyncDisposable
{
    private readonly List<ServiceRun> _services = [];
    private readonly TempDirectory _backups = TempDirectory.Create("backups");
    private readonly string _scope = "m" + Guid.NewGuid().ToString("N")[..10];

    public int GatewayPort { get; } = FreePort.Next();
    public int GatewayManagementPort { get; } = FreePort.Next();
    public int ScalerPort { get; } = FreePort.Next();
    public int HealthMonitorPort { get; } = FreePort.Next();
    public int BackupPort { get; } = FreePort.Next();

    public HttpClient Gateway { get; private set; } = null!;

    public string BackupSource => Path.Combine(_backups.Path, "source");

    /// <summary>Every service's /metrics, by Prometheus job name.</summary>
    public IReadOnlyDictionary<string, string> MetricsTargets => new Dictionary<string, string>
    {
        ["gateway"] = $"127.0.0.1:{GatewayManagementPort}",
        ["scaler"] = $"127.0.0.1:{ScalerPort}",
        ["health-monitor"] = $"127.0.0.1:{HealthMonitorPort}",
        ["backup-service"] = $"127.0.0.1:{BackupPort}",
    };

    public string Tails() => string.Join('\n', _services.Select(s => s.Tail()));

    public void Start(InfrastructureFixture infrastructure)
    {
        var rabbit = infrastructure.RabbitMq;
        var redis = infrastructure.Redis.ConnectionString;
        var sample = ServiceProcess.BuiltAssembly("samples/SampleBackend", "StarGuide.SampleBackend");
        // Fault at once rather than after ten retries: the fault is what the test wants to see counted.
        // Each service as its own broker user.
        Dictionary<string, string> Bus(string user) => new() { ["ConnectionStrings:rabbitmq"] = rabbit.ConnectionStringFor(user), ["MessageBus:RetryLimit"] = "0" };

        _services.Add(ServiceRun.StartService("scaler", "src/Scaler", "StarGuide.Scaler", $"http://127.0.0.1:{ScalerPort}", new Dictionary<string, string>(Bus(ResourceNames.Scaler))
        {
            ["ConnectionStrings:redis"] = redis,
            ["Scaler:Scope"] = _scope,
            ["Scaler:StopInstancesOnShutdown"] = "true",
            ["Scaler:GatewayLoadKeyPrefix"] = _scope,
            ["Scaler:Pools:backend:Instances"] = "1",
            ["Scaler:Pools:backend:MinInstances"] = "1",
            ["Scaler:Pools:backend:MaxInstances"] = "2",
            ["Scaler:Pools:backend:DrainTimeout"] = "00:00:05",
            ["Scaler:Pools:backend:Process:Command"] = "dotnet",
            ["Scaler:Pools:backend:Process:Arguments:0"] = sample,
            ["Scaler:Pools:backend:Process:Environment:0"] = "ASPNETCORE_URLS=http://127.0.0.1:{port}",
            ["Scaler:Pools:backend:Process:Environment:1"] = "Sample__InstanceId={id}",
            ["Scaler:Pools:backend:Process:Environment:2"] = "Logging__LogLevel__Default=Warning",
            // A target any running instance exceeds: the autoscaler decides to scale up at its first check.
            ["Scaler:Pools:backend:Autoscaling:Enabled"] = "true",
            ["Scaler:Pools:backend:Autoscaling:CpuPercent"] = "0.001",
            ["Scaler:Pools:backend:Autoscaling:CheckInterval"] = "00:00:02",
            ["Scaler:Pools:crashy:Instances"] = "1",
            ["Scaler:Pools:crashy:Process:Command"] = "sh",
            ["Scaler:Pools:crashy:Process:Arguments:0"] = "-c",
            ["Scaler:Pools:crashy:Process:Arguments:1"] = "exit 3",
        }));
        _services.Add(ServiceRun.StartService("health-monitor", "src/HealthMonitor", "StarGuide.HealthMonitor", $"http://127.0.0.1:{HealthMonitorPort}",
            new Dictionary<string, string>(Bus(ResourceNames.HealthMonitor)) { ["Pools:backend:HealthPath"] = "/api/health" }));
        _services.Add(ServiceRun.StartService("gateway", "src/Gateway", "StarGuide.Gateway", $"http://127.0.0.1:{GatewayPort}", new Dictionary<string, string>(Bus(ResourceNames.Gateway))
        {
            ["ConnectionStrings:redis"] = redis,
            ["Gateway:Management:Port"] = GatewayManagementPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway:LoadReport:KeyPrefix"] = _scope,
            ["Pools:backend:HealthPath"] = "/api/health",
            // Nothing listens there: connection refused, a retry on the other, passive ejection, 502.
            ["Pools:frontend:Instances:0:Id"] = "frontend-dead-1",
            ["Pools:frontend:Instances:0:Address"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Pools:frontend:Instances:1:Id"] = "frontend-dead-2",
            ["Pools:frontend:Instances:1:Address"] = $"http://127.0.0.1:{FreePort.Next()}",
        }));
        Directory.CreateDirectory(BackupSource);
        File.WriteAllText(Path.Combine(BackupSource, "data.txt"), "something worth keeping");
        _services.Add(ServiceRun.StartService("backup-service", "src/BackupService", "StarGuide.BackupService", $"http://127.0.0.1:{BackupPort}", new Dictionary<string, string>(Bus(ResourceNames.BackupService))
        {
            ["Backup:Sources:0:Path"] = BackupSource,
            ["Backup:Destination"] = Path.Combine(_backups.Path, "archives"),
            ["Backup:Schedule"] = "",
        }));
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Waits for a ready backend instance that the gateway serves, and returns its address (host:port).</summary>
    public async Task<string> WaitForBackendAsync()
    {
        using var scaler = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ScalerPort}"), Timeout = TimeSpan.FromSeconds(5) }.WithManagementToken();
        string? address = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var pool = await scaler.GetFromJsonAsync<JsonElement>("/pools/backend");
                address = pool.GetProperty("members").EnumerateArray()
                    .Where(m => m.GetProperty("state").GetString() == "Ready")
                    .Select(m => new Uri(m.GetProperty("address").GetString()!).Authority).FirstOrDefault();
                return address is not null && (await Gateway.GetAsync("/api/health")).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(180), () => "no ready backend instance served through the gateway\n" + Tails());
        return address!;
    }

    public async Task SendTrafficAsync()
    {
        for (var i = 0; i < 30; i++)
        {
            (await Gateway.GetAsync("/api/health")).Dispose();
            (await Gateway.GetAsync($"/api/echo/{i}")).Dispose();
        }
        for (var i = 0; i < 30; i++)
        {
            (await Gateway.GetAsync("/api/auth/login")).Dispose();
        }
        for (var i = 0; i < 10; i++)
        {
            (await Gateway.GetAsync("/index.html")).Dispose();
        }
    }

    /// <summary>One backup that succeeds, then one that fails because its source is gone.</summary>
    public async Task RunBackupsAsync()
    {
        using var backups = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{BackupPort}"), Timeout = TimeSpan.FromSeconds(30) }.WithManagementToken();
        await RunBackupAsync(backups, "completed");
        Directory.Delete(BackupSource, recursive: true);
        await RunBackupAsync(backups, "failed");
    }

    private async Task RunBackupAsync(HttpClient backups, string expected)
    {
        string? state = null;
        await Eventually.TrueAsync(async () =>
        {
            using var started = await backups.PostAsync("/backups", null);
            if (!started.IsSuccessStatusCode)
            {
                return false;
            }
            var location = started.Headers.Location!;
            await Eventually.TrueAsync(async () =>
            {
                state = (await backups.GetFromJsonAsync<JsonElement>(location)).GetProperty("state").GetString();
                return state is "completed" or "failed";
            }, TimeSpan.FromSeconds(60), () => "the backup never ended\n" + Tails());
            return true;
        }, TimeSpan.FromSeconds(60), () => "POST /backups never started a backup\n" + Tails());
        Assert.True(state == expected, $"the backup {state}, expected {expected}\n{Tails()}");
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        // The scaler first: it stops its instances.
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }
        _backups.Dispose();
    }
}
