using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Health;

/// <summary>Applies a verdict: records it and makes YARP recompute the cluster's available destinations.</summary>
internal sealed partial class InstanceHealthUpdater(
    InstanceHealthRegistry registry,
    IProxyStateLookup proxyState,
    IClusterDestinationsUpdater destinationsUpdater,
    IDestinationHealthUpdater destinationHealth,
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
            if (!unhealthy
                && cluster.Destinations.TryGetValue(instanceId, out var destination)
                && destination.Health.Passive == DestinationHealth.Unhealthy)
            {
                // A passing probe is fresher than the failures that ejected it: back now, on trial (one failure takes
                // it out again), rather than when FailTimeout ends.
                destinationHealth.SetPassive(cluster, destination, DestinationHealth.Unknown, TimeSpan.Zero);
            }
            destinationsUpdater.UpdateAvailableDestinations(cluster);
        }
        LogVerdict(logger, pool, instanceId, unhealthy ? "out of rotation" : "back in rotation", reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Pool}/{InstanceId} {Change}: {Reason}")]
    private static partial void LogVerdict(ILogger logger, string pool, string instanceId, string change, string reason);
}
