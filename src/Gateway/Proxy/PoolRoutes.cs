using StarGuide.Gateway.Health;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Proxy;

/// <summary>
/// YARP routes and clusters built from the instance pools: one cluster per pool (destination id = instance id),
/// <c>/api/…</c> to the backend pool and everything else to the frontend pool.
/// </summary>
internal static class PoolRoutes
{
    public static IReadOnlyList<RouteConfig> Routes(PoolsOptions pools)
    {
        var routes = new List<RouteConfig>();
        if (pools.ContainsKey(ResourceNames.BackendPool))
        {
            routes.Add(new RouteConfig
            {
                RouteId = "api",
                ClusterId = ResourceNames.BackendPool,
                Match = new RouteMatch { Path = "/api/{**rest}" },
            });
        }
        if (pools.ContainsKey(ResourceNames.FrontendPool))
        {
            routes.Add(new RouteConfig
            {
                RouteId = "frontend",
                ClusterId = ResourceNames.FrontendPool,
                Match = new RouteMatch { Path = "{**rest}" },
                Order = int.MaxValue,
            });
        }
        return routes;
    }

    public static IReadOnlyList<ClusterConfig> Clusters(PoolsOptions pools) =>
        [.. pools.Select(pool => new ClusterConfig
        {
            ClusterId = pool.Key,
            LoadBalancingPolicy = WeightedLeastRequestsPolicy.PolicyName,
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = EventDrivenDestinationsPolicy.PolicyName,
                Passive = PoolPassiveHealth.Config(pool.Value),
            },
            Metadata = PoolPassiveHealth.Metadata(pool.Value),
            Destinations = pool.Value.Instances.ToDictionary(
                i => i.Id,
                i => new DestinationConfig { Address = i.Address, Metadata = DestinationMetadata.From(i) },
                StringComparer.OrdinalIgnoreCase),
        })];
}
