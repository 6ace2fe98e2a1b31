using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Health;

/// <summary>
/// Puts an instance in or out of rotation (a verdict of the health monitor, or a drain) and makes YARP recompute the
/// cluster's available destinations.
/// </summary>
internal sealed partial class InstanceHealthUpdater(
    InstanceHealthRegistry registry,
    IProxyStateLookup proxyState,
    IClusterDestinationsUpdater destinationsUpdater,
    IDestinationHealthUpdater destinationHealth,
    ILogger<InstanceHealthUpdater> logger)
{
    public void Apply(string pool, string instanceId, bool inRotation, string reason)
    {
        if (!registry.SetInRotation(pool, instanceId, inRotation))
        {
            return;
        }
        if (proxyState.TryGetCluster(pool, out var cluster))
        {
            if (inRotation
                && cluster.Destinations.TryGetValue(instanceId, out var destination)
                && destination.Health.Passive == DestinationHealth.Unhealthy)
            {
                // A passing probe is fresher than the failures that ejected it: back now, on trial (one failure takes
                // it out again), rather than when FailTimeout ends.
                destinationHealth.SetPassive(cluster, destination, DestinationHealth.Unknown, TimeSpan.Zero);
            }
            destinationsUpdater.UpdateAvailableDestinations(cluster);
        }
        LogVerdict(logger, pool, instanceId, inRotation ? "back in rotation" : "out of rotation", reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Pool}/{InstanceId} {Change}: {Reason}")]
    private static partial void LogVerdict(ILogger logger, string pool, string instanceId, string change, string reason);
}
