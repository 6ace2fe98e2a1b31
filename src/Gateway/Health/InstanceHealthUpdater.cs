using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;

namespace StarGuide.Gateway.Health;

/// <summary>Applies a verdict: records it and makes YARP recompute the cluster's available destinations.</summary>
internal sealed partial class InstanceHealthUpdater(
    InstanceHealthRegistry registry,
    IProxyStateLookup proxyState,
    IClusterDestinationsUpdater destinationsUpdater,
    ILogger<InstanceHealthUpdater> logger)
{
    public void Apply(string pool, string instanceId, bool unhealthy, string reason)
    {
        if (!registry.SetUnhealthy(pool, instanceId, unhealthy))
        {
            return;
        }
        if (proxyState.TryGetCluster(pool, out var cluster))
        {
            destinationsUpdater.UpdateAvailableDestinations(cluster);
        }
        LogVerdict(logger, pool, instanceId, unhealthy ? "out of rotation" : "back in rotation", reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Pool}/{InstanceId} {Change}: {Reason}")]
    private static partial void LogVerdict(ILogger logger, string pool, string instanceId, string change, string reason);
}
