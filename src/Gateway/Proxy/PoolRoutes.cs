using StarGuide.Gateway.Health;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Routing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Proxy;

/// <summary>
/// YARP clusters built from the instance pools: one cluster per pool (destination id = instance id).
/// </summary>
internal static class PoolRoutes
{
    public static IReadOnlyList<ClusterConfig> Clusters(PoolsOptions pools, GatewayRoutesOptions routes) =>
        [.. pools.Select(pool => new ClusterConfig
        {
            ClusterId = pool.Key,
            LoadBalancingPolicy = WeightedLeastRequestsPolicy.PolicyName,
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = EventDrivenDestinationsPolicy.PolicyName,
                Passive = PoolPassiveHealth.Config(pool.Value),
            },
            Metadata = new Dictionary<string, string>(PoolPassiveHealth.Metadata(pool.Value))
            {
                [UpstreamConnections.ConnectTimeoutKey] = UpstreamConnections.Format(pool.Value),
            },
            // Per-route timeouts cut requests; the upstream activity timeout must not cut them earlier.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = RouteTable.LongestTimeout(routes, pool.Key) },
            Destinations = pool.Value.Instances.ToDictionary(
                i => i.Id,
                i => new DestinationConfig { Address = i.Address, Metadata = DestinationMetadata.From(i) },
                StringComparer.OrdinalIgnoreCase),
        })];
}
