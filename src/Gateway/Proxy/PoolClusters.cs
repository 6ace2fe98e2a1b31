using StarGuide.Gateway.Health;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Proxy.Upstream;
using StarGuide.Gateway.Routing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Proxy;

/// <summary>
/// YARP clusters built from the instance pools: one cluster per pool (destination id = instance id).
/// </summary>
internal static class PoolClusters
{
    /// <param name="pools">The members (as configured, or as the scaler's events say).</param>
    /// <param name="settings">The gateway's own settings of each pool, always as configured.</param>
    public static IReadOnlyList<ClusterConfig> Build(PoolsOptions pools, GatewayPoolsOptions settings, GatewayRoutesOptions routes) =>
        [.. pools.Select(pool => new ClusterConfig
        {
            ClusterId = pool.Key,
            LoadBalancingPolicy = WeightedLeastRequestsPolicy.PolicyName,
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = EventDrivenDestinationsPolicy.PolicyName,
                Passive = PoolPassiveHealth.Config(settings.For(pool.Key)),
            },
            Metadata = new Dictionary<string, string>(PoolPassiveHealth.Metadata(settings.For(pool.Key)))
            {
                [UpstreamConnections.ConnectTimeoutKey] = UpstreamConnections.Format(settings.For(pool.Key)),
            },
            // Per-route timeouts cut requests; the upstream activity timeout must not cut them earlier.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = RouteTable.LongestTimeout(routes, pool.Key) },
            Destinations = pool.Value.Instances.ToDictionary(
                i => i.Id,
                i => new DestinationConfig { Address = i.Address, Metadata = DestinationMetadata.From(i) },
                StringComparer.OrdinalIgnoreCase),
        })];
}
