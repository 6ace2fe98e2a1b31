using System.Globalization;
using k8s.Models;
using StarGuide.Deploy.Tests.Manifests;
using StarGuide.Testing;

namespace StarGuide.Deploy.Tests.Probes;

/// <summary>
/// Every Deployment of the local overlay whose image holds one of the repository's projects, run at once as a real
/// process with its manifest's environment. What differs from the cluster, and why:
/// <list type="bullet">
/// <item>the ports it listens on (<see cref="ListenKeys"/>) are free ports chosen now, so that tests can run side by side; the
/// probes are sent to the free port that stands for the container port they name;</item>
/// <item>paths under a volume mount point into a scratch folder (the root file system here is the test machine's);</item>
/// <item>a kubernetes pool's <c>ApiServer</c> is a closed local port: outside a pod there is no service account, and the
/// driver's calls are <see cref="Scaler.ScalerPermissionsTests"/>' part;</item>
/// <item>the broker and the store (<c>rabbitmq</c>, <c>redis</c>) do not resolve here: readiness then says Unhealthy,
/// which is still the service's own health report on the probed path and port.</item>
/// </list>
/// </summary>
public sealed class RunningDeployments : IAsyncLifetime
{
    /// <summary>The settings that say which port a service listens on, as ASP.NET Core and the gateway read them.</summary>
    internal static readonly string[] ListenKeys = ["ASPNETCORE_HTTP_PORTS", "Gateway__Management__Port"];

    private readonly List<ManifestProcess> _processes = [];
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("starguide-deploy-");

    internal Dictionary<string, Deployed> Services { get; } = [];

    public async Task InitializeAsync()
    {
        try
        {
            StartAll();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what was started before the failure.
            await DisposeAsync();
            throw;
        }
        await Task.WhenAll(Services.Values.Select(s => s.WaitUntilAliveAsync(TimeSpan.FromSeconds(90))));
    }

    private void StartAll()
    {
        foreach (var service in DeployedService.All)
        {
            var deployment = Overlays.Named<V1Deployment>(Overlays.Local, service.Deployment);
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var ports = new Dictionary<int, int>();
            var environment = ContainerEnvironment.Of(Overlays.Local, container).ToDictionary();
            foreach (var key in ListenKeys.Where(environment.ContainsKey))
            {
                var port = int.Parse(environment[key], CultureInfo.InvariantCulture);
                environment[key] = (ports[port] = FreePort.Next()).ToString(CultureInfo.InvariantCulture);
            }
            foreach (var mount in container.VolumeMounts ?? [])
            {
                var local = Path.Combine(_scratch.FullName, service.Deployment, mount.Name);
                Directory.CreateDirectory(local);
                foreach (var (key, value) in environment.Where(p => p.Value == mount.MountPath || p.Value.StartsWith(mount.MountPath + "/", StringComparison.Ordinal)).ToList())
                {
                    environment[key] = local + value[mount.MountPath.Length..];
                }
            }
            foreach (var key in environment.Keys.Where(k => k.StartsWith("Scaler__Pools__", StringComparison.Ordinal) && k.EndsWith("__Kubernetes__Deployment", StringComparison.Ordinal)).ToList())
            {
                environment[key.Replace("__Deployment", "__ApiServer", StringComparison.Ordinal)] = "http://127.0.0.1:9";
            }

            var process = ManifestProcess.Start(service.ProjectDirectory, service.AssemblyName, environment);
            _processes.Add(process);
            Services[service.Deployment] = new Deployed(service, container, ports, process);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        _processes.Clear();
        if (_scratch.Exists)
        {
            _scratch.Delete(recursive: true);
        }
    }

    /// <summary>One running Deployment: the local port for each container port it listens on.</summary>
    internal sealed class Deployed(DeployedService service, V1Container container, IReadOnlyDictionary<int, int> ports, ManifestProcess process)
    {
        // Above the probes' own timeoutSeconds: this checks where they point, and a loaded test machine answers slowly.
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

        // Started with the process (this is made right after it).
        private readonly System.Diagnostics.Stopwatch _sinceStart = System.Diagnostics.Stopwatch.StartNew();

        public DeployedService Service => service;

        public V1Container Container => container;

        public ManifestProcess Process => process;

        /// <summary>Set once the liveness probe answered or the wait gave up: why it did not come up, or null.</summary>
        public string? StartFailure { get; private set; }

        /// <summary>How long after its start the liveness probe first answered 200 (within the fixture's 200 ms polling); null if it never did.</summary>
        public TimeSpan? AliveAfter { get; private set; }

        /// <summary>The CPU time the process had used when its liveness probe first answered 200; null if it never did.</summary>
        public TimeSpan? CpuUntilAlive { get; private set; }

        /// <summary>The local port that stands for the container port a probe names; null when the service does not listen on it.</summary>
        public int? LocalPort(IntOrString port)
        {
            var containerPort = WorkloadTests.Resolve(port, container.Ports)
                ?? throw new InvalidOperationException($"{container.Name}: probe port {port.Value} is none of its container ports.");
            return ports.TryGetValue(containerPort.ContainerPort, out var local) ? local : null;
        }

        public async Task<(int Status, string Body)> GetAsync(V1HTTPGetAction probe)
        {
            var port = LocalPort(probe.Port) ?? throw new InvalidOperationException(
                $"{container.Name}: no setting of {string.Join(", ", ListenKeys)} makes it listen on the probe's port {probe.Port.Value}.");
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{probe.Path}"));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        internal async Task WaitUntilAliveAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            var last = "no answer yet";
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    StartFailure = $"{service.Deployment} exited at start:\n{process.Tail}";
                    return;
                }
                try
                {
                    if (LocalPort(container.LivenessProbe.HttpGet.Port) is null)
                    {
                        break;
                    }
                    var (status, body) = await GetAsync(container.LivenessProbe.HttpGet);
                    if (status == 200)
                    {
                        AliveAfter = _sinceStart.Elapsed;
                        CpuUntilAlive = process.CpuTime;
                        return;
                    }
                    last = $"{status} {body}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    last = ex.Message;
                }
                await Task.Delay(200);
            }
            StartFailure = $"{service.Deployment}: its liveness probe ({container.LivenessProbe.HttpGet.Path} on {container.LivenessProbe.HttpGet.Port.Value}) "
                + $"did not answer 200 within {timeout} (last: {last}):\n{process.Tail}";
        }
    }
}
