namespace StarGuide.Deploy.Tests.Compose;

/// <summary>
/// The compose stack's segmentation as its file declares it (deploy/smoke.sh checks the running stack): the pools'
/// network holds only what must reach the instances, the engine's socket only the docker-proxy, no container a
/// capability. What a merge into deploy/compose.yaml could lose without a run of the stack noticing at once.
/// </summary>
public sealed class ComposeSegmentationTests
{
    /// <summary>What must reach the pools' instances: the gateway proxies to them, the monitor probes them, Prometheus scrapes them.</summary>
    private static readonly string[] OnThePoolsNetwork = ["gateway", "health-monitor", "prometheus"];

    [Fact]
    public void The_pools_network_is_the_scaler_s_and_the_proxy_s_and_holds_only_what_must_reach_the_instances()
    {
        var scaler = ComposeFile.Environment(ComposeFile.Services["scaler"]);
        var poolNetworks = scaler.Where(e => e.Key.StartsWith("Scaler__Pools__", StringComparison.Ordinal) && e.Key.EndsWith("__Docker__Network", StringComparison.Ordinal))
            .Select(e => e.Value).Distinct().ToList();
        var name = Assert.Single(poolNetworks);
        Assert.Equal(name, ComposeFile.Environment(ComposeFile.Services["docker-proxy"])["DOCKER_PROXY_NETWORK"]);

        var key = ComposeFile.NetworkNamed(name);
        var members = ComposeFile.Services.Where(s => ComposeFile.NetworksOf(s.Value).Contains(key)).Select(s => s.Key).Order(StringComparer.Ordinal);
        Assert.Equal(OnThePoolsNetwork.Order(StringComparer.Ordinal), members);
    }

    [Fact]
    public void The_broker_Redis_and_the_services_share_an_internal_network_that_no_pool_joins()
    {
        var pools = ComposeFile.NetworkNamed(ComposeFile.Environment(ComposeFile.Services["docker-proxy"])["DOCKER_PROXY_NETWORK"]);
        var services = ComposeFile.Services.Where(s => s.Key != "docker-proxy").ToList();
        var shared = services.Select(s => ComposeFile.NetworksOf(s.Value)).Aggregate((a, b) => [.. a.Intersect(b)]);

        var control = Assert.Single(shared);
        Assert.NotEqual(pools, control);
        Assert.Equal("true", ComposeFile.Networks[control].GetValueOrDefault("internal")?.ToString());
        Assert.Equal("true", ComposeFile.Networks[pools].GetValueOrDefault("internal")?.ToString());
    }

    [Fact]
    public void Only_the_docker_proxy_holds_the_engine_s_socket_and_it_has_no_network()
    {
        var holders = ComposeFile.Services.Where(s => ComposeFile.List(s.Value, "volumes").Any(v => v.Contains("docker.sock", StringComparison.Ordinal))).Select(s => s.Key);

        Assert.Equal(["docker-proxy"], holders);
        Assert.Equal("none", ComposeFile.Services["docker-proxy"].GetValueOrDefault("network_mode"));
        Assert.Empty(ComposeFile.Services.Where(s => s.Value.ContainsKey("privileged")).Select(s => s.Key));
    }

    [Fact]
    public void The_scaler_s_docker_driver_and_Prometheus_talk_to_the_engine_through_the_proxy()
    {
        var scaler = ComposeFile.Environment(ComposeFile.Services["scaler"]);
        var drivers = scaler.Where(e => e.Key.StartsWith("Scaler__Pools__", StringComparison.Ordinal) && e.Key.EndsWith("__Driver", StringComparison.Ordinal) && e.Value == "docker")
            .Select(e => e.Key[..^"__Driver".Length]).ToList();
        Assert.NotEmpty(drivers);
        Assert.All(drivers, pool => Assert.Equal("unix:///run/docker-proxy/docker.sock", scaler.GetValueOrDefault($"{pool}__Docker__Endpoint")));
        Assert.Contains("docker-api-scaler:/run/docker-proxy:ro", ComposeFile.List(ComposeFile.Services["scaler"], "volumes"));
        Assert.Contains("docker-api-discovery:/run/docker-proxy:ro", ComposeFile.List(ComposeFile.Services["prometheus"], "volumes"));
        Assert.Contains("docker-api-scaler:/run/docker-proxy/scaler", ComposeFile.List(ComposeFile.Services["docker-proxy"], "volumes"));
        Assert.Contains("docker-api-discovery:/run/docker-proxy/discovery", ComposeFile.List(ComposeFile.Services["docker-proxy"], "volumes"));
    }

    [Fact]
    public void Every_service_drops_every_capability_and_cannot_gain_privileges()
    {
        foreach (var (name, service) in ComposeFile.Services)
        {
            Assert.True(ComposeFile.List(service, "cap_drop").SequenceEqual(["ALL"]), $"{name}: cap_drop is not [ALL].");
            Assert.Empty(ComposeFile.List(service, "cap_add"));
            Assert.Contains("no-new-privileges:true", ComposeFile.List(service, "security_opt"));
        }
    }
}
