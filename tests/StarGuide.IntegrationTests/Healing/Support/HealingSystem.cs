using System.Globalization;
using StarGuide.Gateway;
using StarGuide.HealthMonitor;
using StarGuide.IntegrationTests.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// The control plane as it runs in production, on a real RabbitMQ and Redis: the scaler as a real process owning a
/// <c>backend</c> pool of real sample-backend processes (process driver), the health monitor with its default
/// probing, and the gateway in front. Each system has a scope of its own, so systems never adopt each other's
/// instances. Disposing stops everything, and kills any instance of its scope that is still left.
/// </summary>
internal sealed class HealingSystem : IAsyncDisposable
{
    public const string Pool = "backend";

    private readonly InfrastructureFixture _infrastructure;
    private readonly Dictionary<string, string> _scalerSettings;
    private readonly Dictionary<string, string?> _serviceSettings;
    private TestUpstream? _frontend;

    public HealingSystem(InfrastructureFixture infrastructure, int instances, IReadOnlyDictionary<string, string>? scalerSettings = null)
    {
        _infrastructure = infrastructure;
        Scope = "t" + Guid.NewGuid().ToString("N")[..10];
        var sample = ServiceProcess.BuiltAssembly("samples/SampleBackend", "StarGuide.SampleBackend");
        _scalerSettings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMq.ConnectionStringFor(ResourceNames.Scaler),
            ["ConnectionStrings:redis"] = infrastructure.Redis.ConnectionString,
            ["Scaler:Scope"] = Scope,
            ["Scaler:StopInstancesOnShutdown"] = "true",
            ["Scaler:GatewayLoadKeyPrefix"] = Scope,
            [$"Scaler:Pools:{Pool}:Instances"] = instances.ToString(CultureInfo.InvariantCulture),
            [$"Scaler:Pools:{Pool}:MaxInstances"] = "5",
            [$"Scaler:Pools:{Pool}:DrainTimeout"] = "00:00:10",
            [$"Scaler:Pools:{Pool}:Process:Command"] = "dotnet",
            [$"Scaler:Pools:{Pool}:Process:Arguments:0"] = sample,
            [$"Scaler:Pools:{Pool}:Process:Environment:0"] = "ASPNETCORE_URLS=http://127.0.0.1:{port}",
            [$"Scaler:Pools:{Pool}:Process:Environment:1"] = "Sample__InstanceId={id}",
            [$"Scaler:Pools:{Pool}:Process:Environment:2"] = "Logging__LogLevel__Default=Warning",
        };
        foreach (var (key, value) in scalerSettings ?? new Dictionary<string, string>())
        {
            _scalerSettings[key] = value;
        }
        _serviceSettings = new Dictionary<string, string?>
        {
            [$"Pools:{Pool}:HealthPath"] = "/api/health",
            // Healing is about the backend pool; rate limits have tests of their own.
            ["Gateway:RateLimiting:Enabled"] = "false",
            // In-process (no Kestrel ports): /health on the public listener, where the test client is allowed.
            ["Gateway:Management:Port"] = "0",
            ["ConnectionStrings:redis"] = infrastructure.Redis.ConnectionString,
            ["Gateway:LoadReport:KeyPrefix"] = Scope,
        };
    }

    public string Scope { get; }

    public ScalerProcess Scaler { get; private set; } = null!;

    public ServiceFactory<GatewayAssembly> Gateway { get; private set; } = null!;

    public ServiceFactory<HealthMonitorAssembly> Monitor { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task StartAsync()
    {
        _frontend = await TestUpstream.StartAsync("frontend-1");
        _serviceSettings["Pools:frontend:Instances:0:Id"] = _frontend.InstanceId;
        _serviceSettings["Pools:frontend:Instances:0:Address"] = _frontend.Address.ToString();
        Monitor = new ServiceFactory<HealthMonitorAssembly>(new Dictionary<string, string?>(_serviceSettings)
        {
            ["ConnectionStrings:rabbitmq"] = _infrastructure.RabbitMq.ConnectionStringFor(ResourceNames.HealthMonitor),
        });
        _ = Monitor.Services;
        StartGateway();
        Scaler = ScalerProcess.Start(_scalerSettings);
    }

    /// <summary>The scaler alone, for what it does before anything else of the system runs.</summary>
    public void StartScalerAlone() => Scaler = ScalerProcess.Start(_scalerSettings);

    public void StartGateway()
    {
        Gateway = new ServiceFactory<GatewayAssembly>(new Dictionary<string, string?>(_serviceSettings)
        {
            ["ConnectionStrings:rabbitmq"] = _infrastructure.RabbitMq.ConnectionStringFor(ResourceNames.Gateway),
        });
        Client = Gateway.CreateClient();
        Client.Timeout = TimeSpan.FromSeconds(90);
    }

    public async Task RestartGatewayAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        StartGateway();
    }

    /// <param name="whileDown">What happens between the old scaler's end and the new one's start (an instance dies, Redis loses the state).</param>
    public async Task RestartScalerAsync(bool kill, Func<Task>? whileDown = null)
    {
        if (kill)
        {
            await Scaler.KillAsync();
        }
        await Scaler.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }
        Scaler = ScalerProcess.Start(_scalerSettings);
    }

    /// <summary>How many instance processes of this system's scope run (whoever started them).</summary>
    public int CountRunningInstances() => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? ProcessEnvironment.Read(pid) : null)
        .Count(v => v?.GetValueOrDefault(ProcessEnvironment.Scope) == Scope);

    /// <summary>Waits until the scaler reports <paramref name="ready"/> ready instances and nothing else, and returns them.</summary>
    public async Task<PoolStatus> WaitForReadyAsync(int ready, TimeSpan within, Func<PoolStatus, bool>? also = null)
    {
        PoolStatus? pool = null;
        await Eventually.TrueAsync(async () =>
        {
            pool = await Scaler.PoolAsync(Pool);
            return pool is not null && pool.Ready == ready && pool.Members.Count == ready
                && pool.Members.All(m => m.State == MemberState.Ready) && (also?.Invoke(pool) ?? true);
        }, within, () => $"the pool never had {ready} ready instances (last: {Describe(pool)}); scaler output:\n{Scaler.Tail()}\n");
        return pool!;
    }

    /// <summary>Waits until the gateway has sent a request to each of <paramref name="instanceIds"/>.</summary>
    public async Task WaitForGatewayToServeAsync(IEnumerable<string> instanceIds, TimeSpan within)
    {
        var missing = new HashSet<string>(instanceIds);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Client.GetAsync("/api/health");
            if (response.Headers.TryGetValues("X-Instance-Id", out var values))
            {
                missing.Remove(values.Single());
            }
            return missing.Count == 0;
        }, within, $"the gateway never sent a request to {string.Join(", ", missing)}");
    }

    public static string Describe(PoolStatus? pool) => pool is null
        ? "no answer"
        : $"desired {pool.Desired}, ready {pool.Ready}: " + string.Join(", ", pool.Members.Select(m => $"{m.InstanceId} {m.State} pid {m.Handle}"));

    public async ValueTask DisposeAsync()
    {
        if (Scaler is not null)
        {
            await Scaler.DisposeAsync();
        }
        Client?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Monitor is not null)
        {
            await Monitor.DisposeAsync();
        }
        if (_frontend is not null)
        {
            await _frontend.DisposeAsync();
        }
        KillLeftovers();
    }

    /// <summary>Any instance of this scope still running (a test failed half-way): killed, so nothing outlives the test.</summary>
    private void KillLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)
                && ProcessEnvironment.Read(pid) is { } variables
                && variables.GetValueOrDefault(ProcessEnvironment.Scope) == Scope)
            {
                Signals.Send(pid, Signals.Kill);
            }
        }
    }
}
