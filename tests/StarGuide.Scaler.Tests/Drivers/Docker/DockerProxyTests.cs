using System.Diagnostics;
using System.Net;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Pools;
using Xunit.Abstractions;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>
/// The docker-proxy of the compose stack (Debian's HAProxy with deploy/images/docker-proxy/haproxy.cfg) in front of a real
/// engine: the driver does all it does through it, and what the driver never sends is refused. Skipped without an engine
/// or haproxy (failed where the run requires them: <see cref="StarGuide.Testing.NeedPolicy"/>).
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerProxyTests(DockerEngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _pool = $"p{Guid.NewGuid():N}"[..10];
    private readonly List<DockerDriver> _drivers = [];
    private DockerProxy? _proxy;
    private string Network => $"starguide-test-{_pool}";

    [SkippableFact]
    public async Task The_driver_starts_lists_measures_watches_and_stops_instances_through_the_proxy()
    {
        var proxy = RequireProxy();
        var driver = NewDriver();
        var exited = new TaskCompletionSource<InstanceExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.Exited += exit => exited.TrySetResult(exit);

        var first = await driver.StartAsync(Launch(1), CancellationToken.None);
        var second = await driver.StartAsync(Launch(2), CancellationToken.None);
        Assert.Equal(
            [first.InstanceId, second.InstanceId],
            (await driver.ListAsync(CancellationToken.None)).Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.NotNull(await driver.CpuTimeAsync(first.Handle, CancellationToken.None));

        // The die event comes through the proxy's events stream.
        await engine.Client.Containers.KillContainerAsync(first.Handle, new ContainerKillParameters { Signal = "SIGKILL" });
        Assert.Equal(first.InstanceId, (await exited.Task.WaitAsync(TimeSpan.FromSeconds(15))).InstanceId);
        await driver.StopAsync(second, TimeSpan.FromSeconds(5), CancellationToken.None);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => engine.Client.Containers.InspectContainerAsync(second.Handle));
        Assert.Empty(await driver.ListAsync(CancellationToken.None));

        output.WriteLine(proxy.Log);
        Assert.DoesNotContain(" 403 ", proxy.Log, StringComparison.Ordinal);
    }

    public static TheoryData<string> Escalations =>
    [
        "without the driver's label", "privileged", "a bind mount of the host", "a mount of the host", "a capability added",
        "capabilities kept", "no-new-privileges off", "the host's PID namespace", "the host's network",
        "another network", "an endpoint on another network", "a device", "a cgroup parent",
    ];

    [SkippableTheory]
    [MemberData(nameof(Escalations))]
    public async Task A_create_the_driver_never_sends_is_refused(string escalation)
    {
        var proxy = RequireProxy();
        var spec = DockerContainerSpec.For(Launch(1), $"starguide-{_pool}-1", Options(proxy));
        var host = spec.HostConfig;
        switch (escalation)
        {
            case "without the driver's label": spec.Labels.Remove(DockerLabels.ManagedBy); break;
            case "privileged": host.Privileged = true; break;
            case "a bind mount of the host": host.Binds = ["/:/host"]; break;
            case "a mount of the host": host.Mounts = [new Mount { Type = "bind", Source = "/", Target = "/host" }]; break;
            case "a capability added": host.CapAdd = ["SYS_ADMIN"]; break;
            case "capabilities kept": host.CapDrop = null; break;
            case "no-new-privileges off": host.SecurityOpt = ["no-new-privileges:false"]; break;
            case "the host's PID namespace": host.PidMode = "host"; break;
            case "the host's network": host.NetworkMode = "host"; break;
            case "another network": host.NetworkMode = "bridge"; break;
            case "an endpoint on another network": spec.NetworkingConfig.EndpointsConfig = new Dictionary<string, EndpointSettings> { ["bridge"] = new() }; break;
            case "a device": host.Devices = [new DeviceMapping { PathOnHost = "/dev/mem", PathInContainer = "/dev/mem", CgroupPermissions = "rwm" }]; break;
            case "a cgroup parent": host.CgroupParent = "/"; break;
            default: throw new ArgumentOutOfRangeException(nameof(escalation), escalation, null);
        }

        using var client = new DockerClientConfiguration(new Uri($"unix://{proxy.ScalerSocket}")).CreateClient();
        var refused = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.CreateContainerAsync(spec));

        output.WriteLine(refused.ResponseBody);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.StartsWith("docker-proxy:", refused.ResponseBody, StringComparison.Ordinal);
        Assert.Empty(await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [_pool] = true } },
        }));
    }

    /// <summary>
    /// Spellings the engine's JSON decoder reads as HostConfig.Privileged, Binds or CapDrop (Go matches field names without
    /// regard to case, also through \u escapes and the Unicode foldings of k and s; of a field given twice, the last wins).
    /// </summary>
    [SkippableTheory]
    [InlineData("\"privileged\": true")]
    [InlineData("\"PRIVILEGED\"\n:\ttrue")]
    [InlineData("\"Privil\\u0065ged\": true")]
    [InlineData("\"Bind\u017f\": [\"/:/host\"]")]
    [InlineData("\"CapDrop\": []")]
    public async Task A_create_body_spelled_to_slip_past_the_rules_is_refused(string field)
    {
        var proxy = RequireProxy();
        using var client = DockerProxy.Client(proxy.ScalerSocket);

        using var response = await client.PostAsync($"containers/create?name=starguide-{_pool}-1", Json(CreateBody(field)));

        output.WriteLine(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [SkippableFact]
    public async Task A_create_body_is_read_whole_or_refused()
    {
        var proxy = RequireProxy();
        using var client = DockerProxy.Client(proxy.ScalerSocket);

        // Without a length (chunked), the proxy could not tell that it saw all of it.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"containers/create?name=starguide-{_pool}-1") { Content = Json(CreateBody()) };
        chunked.Headers.TransferEncodingChunked = true;
        using var refused = await client.SendAsync(chunked);
        // Past the proxy's buffer (64 KiB), what follows the part it sees could say anything.
        using var tooLong = await client.PostAsync($"containers/create?name=starguide-{_pool}-2", Json(CreateBody($"\"Memory\": 0{new string(' ', 70_000)}")));
        // The same body, whole: created.
        using var accepted = await client.PostAsync($"containers/create?name=starguide-{_pool}-3", Json(CreateBody()));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    /// <summary>A create body as the driver's would pass, with <paramref name="field"/> in a second HostConfig.</summary>
    private string CreateBody(string field = "\"Memory\": 0") =>
        $$"""
        {"Image": "{{engine.Image}}", "Labels": {"{{DockerLabels.ManagedBy}}": "{{DockerLabels.ManagedByValue}}", "{{engine.RunLabel.Key}}": "{{engine.RunLabel.Value}}"},
         "HostConfig": {"NetworkMode": "{{Network}}", "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges:true"]},
         "HostConfig": {
        """ + field + "}}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [SkippableTheory]
    [InlineData("POST", "containers/{id}/exec")]
    [InlineData("POST", "v1.41/containers/{id}/exec")]
    [InlineData("POST", "containers/{id}/attach")]
    [InlineData("PUT", "containers/{id}/archive?path=/")]
    [InlineData("GET", "containers/{id}/archive?path=/")]
    [InlineData("POST", "containers/{id}/kill")]
    [InlineData("POST", "containers/{id}/update")]
    [InlineData("POST", "commit?container={id}")]
    [InlineData("POST", "images/create?fromImage=busybox")]
    [InlineData("POST", "build")]
    [InlineData("GET", "images/json")]
    [InlineData("POST", "networks/create")]
    [InlineData("POST", "networks/bridge/connect")]
    [InlineData("POST", "volumes/create")]
    [InlineData("GET", "info")]
    [InlineData("GET", "containers/%2e%2e/images/json")]
    public async Task The_scaler_socket_refuses_what_the_driver_never_calls(string method, string path)
    {
        var proxy = RequireProxy();
        var victim = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"starguide-{_pool}-victim",
            Image = engine.Image,
            Labels = new Dictionary<string, string> { [engine.RunLabel.Key] = engine.RunLabel.Value, [DockerLabels.Pool] = _pool },
        });
        using var client = DockerProxy.Client(proxy.ScalerSocket);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", victim.ID, StringComparison.Ordinal))
        {
            Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("docker-proxy:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_discovery_socket_lists_containers_and_networks_and_nothing_else()
    {
        var proxy = RequireProxy();
        var instance = await NewDriver().StartAsync(Launch(1), CancellationToken.None);
        using var client = DockerProxy.Client(proxy.DiscoverySocket);

        var listed = await client.GetStringAsync("v1.41/containers/json");
        Assert.Contains(instance.Handle, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("networks")).StatusCode);
        foreach (var (method, path) in new[] { ("GET", $"containers/{instance.Handle}/json"), ("POST", $"containers/{instance.Handle}/stop"), ("DELETE", $"containers/{instance.Handle}"), ("GET", "events"), ("POST", "containers/create") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} through the discovery socket: {(int)response.StatusCode}");
        }
        Assert.True((await engine.Client.Containers.InspectContainerAsync(instance.Handle)).State.Running);
    }

    private DockerProxy RequireProxy()
    {
        engine.Require();
        if (DockerProxy.Problem(engine.Endpoint) is { } missing)
        {
            missing.Need.Check(missing.Problem);
        }
        return _proxy!;
    }

    private DockerDriverOptions Options(DockerProxy proxy) => new()
    {
        Endpoint = $"unix://{proxy.ScalerSocket}",
        Image = engine.Image,
        Network = Network,
        Environment = { ["INSTANCE_ID"] = "{id}", ["PORT"] = "{port}" },
        Labels = { [engine.RunLabel.Key] = engine.RunLabel.Value },
        ApiTimeout = TimeSpan.FromSeconds(20),
    };

    private DockerDriver NewDriver()
    {
        var driver = (DockerDriver)new DockerDriverFactory(TimeProvider.System, NullLogger<DockerDriver>.Instance)
            .Create(_pool, new ScalerPoolOptions { Driver = "docker", Docker = Options(_proxy!) });
        _drivers.Add(driver);
        return driver;
    }

    private InstanceLaunch Launch(int ordinal) => new(_pool, $"{_pool}-{ordinal}", ordinal);

    public async Task InitializeAsync()
    {
        if (engine.Missing is null && DockerProxy.Problem(engine.Endpoint) is null)
        {
            await engine.Client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = Network });
            var watch = Stopwatch.StartNew();
            _proxy = await DockerProxy.StartAsync(engine.Endpoint, Network);
            output.WriteLine($"haproxy ready in {watch.ElapsedMilliseconds} ms");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            await driver.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            await engine.RemoveContainersAsync(_pool);
            foreach (var name in new[] { $"starguide-{_pool}-1", $"starguide-{_pool}-2", $"starguide-{_pool}-3", $"starguide-{_pool}-victim" })
            {
                await engine.RemoveContainerAsync(name);
            }
            await engine.Client.Networks.DeleteNetworkAsync(Network);
        }
    }
}
