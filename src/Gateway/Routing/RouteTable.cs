using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Routing;

/// <summary>YARP routes from <see cref="GatewayRoutesOptions"/>: route id = route name, cluster id = pool name.</summary>
internal static class RouteTable
{
    public static IReadOnlyList<RouteConfig> Build(GatewayRoutesOptions routes) =>
        [.. routes.Select(r => new RouteConfig
        {
            RouteId = r.Key,
            ClusterId = r.Value.Pool,
            Match = new RouteMatch { Path = r.Value.Path },
            Timeout = r.Value.Timeout,
            Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = r.Value.PreserveHost ? "true" : "false" }],
            Metadata = r.Value.SpaFallback
                ? new Dictionary<string, string> { [SpaFallbackTransformProvider.MetadataKey] = "true" }
                : null,
        })];

    /// <summary>The longest route timeout of each pool: the pool's upstream activity timeout must not cut it short.</summary>
    public static TimeSpan LongestTimeout(GatewayRoutesOptions routes, string pool) =>
        routes.Values.Where(r => string.Equals(r.Pool, pool, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Timeout)
            .DefaultIfEmpty(TimeSpan.FromSeconds(100))
            .Max();
}
