using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Health;

/// <summary>
/// Keeps the destinations that the health monitor has not declared unhealthy. YARP's own active health checks
/// would probe every instance a second time from every gateway replica; the verdicts come as events instead.
/// </summary>
internal sealed class EventDrivenDestinationsPolicy(InstanceHealthRegistry registry) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "EventDriven";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        var available = new List<DestinationState>(allDestinations.Count);
        foreach (var destination in allDestinations)
        {
            if (!registry.IsUnhealthy(config.ClusterId, destination.DestinationId))
            {
                available.Add(destination);
            }
        }
        return available;
    }
}
