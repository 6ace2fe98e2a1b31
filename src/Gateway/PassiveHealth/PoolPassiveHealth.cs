using System.Globalization;
using StarGuide.Gateway.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.PassiveHealth;

/// <summary>
/// Carries a pool's <c>MaxFails</c> and <c>FailTimeout</c> in its YARP cluster: <c>FailTimeout</c> is the passive
/// health config's reactivation period, <c>MaxFails</c> (which YARP has no field for) a cluster metadata entry.
/// </summary>
internal static class PoolPassiveHealth
{
    public const string MaxFailsKey = "StarGuide.MaxFails";

    public static PassiveHealthCheckConfig Config(GatewayPoolOptions pool) => new()
    {
        Enabled = pool.MaxFails > 0,
        Policy = MaxFailsPolicy.PolicyName,
        ReactivationPeriod = pool.FailTimeout,
    };

    public static IReadOnlyDictionary<string, string> Metadata(GatewayPoolOptions pool) => new Dictionary<string, string>
    {
        [MaxFailsKey] = pool.MaxFails.ToString(CultureInfo.InvariantCulture),
    };

    public static int MaxFails(ClusterConfig cluster) =>
        cluster.Metadata is { } metadata
        && metadata.TryGetValue(MaxFailsKey, out var value)
        && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var maxFails)
        && maxFails > 0
            ? maxFails
            : GatewayPoolsOptions.Defaults.MaxFails;

    public static TimeSpan FailTimeout(ClusterConfig cluster) =>
        cluster.HealthCheck?.Passive?.ReactivationPeriod ?? GatewayPoolsOptions.Defaults.FailTimeout;
}
