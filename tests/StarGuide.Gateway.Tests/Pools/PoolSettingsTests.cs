using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.Proxy.Upstream;
using StarGuide.Gateway.Routing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Tests.Pools;

/// <summary>
/// A pool's gateway settings (MaxFails, FailTimeout, ConnectTimeout) are configuration: the scaler's events change the
/// members, never them. (Until 2026-12-07 every event rebuilt the clusters with the defaults: a pool configured with a
/// 5 s connect timeout had 60 s again after the scaler's first event.)
/// </summary>
public sealed class PoolSettingsTests
{
    [Fact]
    public void Configured_pool_settings_stay_after_the_scaler_s_events()
    {
        var pools = new PoolsOptions { ["backend"] = new PoolOptions() };
        pools["backend"].Instances.Add(new InstanceOptions { Id = "a", Address = "http://127.0.0.1:8001" });
        var settings = new GatewayPoolsOptions
        {
            ["backend"] = new GatewayPoolOptions { MaxFails = 7, FailTimeout = TimeSpan.FromSeconds(9), ConnectTimeout = TimeSpan.FromSeconds(5) },
        };
        var routes = new GatewayRoutesOptions();
        var proxy = new InMemoryConfigProvider([], PoolClusters.Build(pools, settings, routes));
        var registry = new PoolRegistry(Options.Create(pools), Options.Create(settings), Options.Create(routes), proxy, NullLogger<PoolRegistry>.Instance);
        AssertSettings(proxy.GetConfig().Clusters.Single());

        var now = DateTimeOffset.UtcNow;
        Assert.True(registry.Apply(new InstanceStarted("b", "backend", new Uri("http://127.0.0.1:8002"), 1, false, 1, now)));
        Assert.True(registry.Apply(new PoolChanged("backend", 2, [new PoolMember("b", new Uri("http://127.0.0.1:8002"), 1, false, true)], now), out _));

        var cluster = proxy.GetConfig().Clusters.Single();
        Assert.Equal(["b"], cluster.Destinations!.Keys);
        AssertSettings(cluster);
    }

    private static void AssertSettings(ClusterConfig cluster)
    {
        Assert.Equal(7, PoolPassiveHealth.MaxFails(cluster));
        Assert.Equal(TimeSpan.FromSeconds(9), PoolPassiveHealth.FailTimeout(cluster));
        Assert.Equal(TimeSpan.FromSeconds(5), UpstreamConnections.ConnectTimeout(cluster.Metadata));
    }
}
