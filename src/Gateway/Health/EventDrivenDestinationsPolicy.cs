using StarGuide.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Health;

/// <summary>
/// Decides which destinations take traffic: those that the health monitor has not declared unhealthy and that passive
/// health has not ejected (unless it ejected them all), primaries first; the backups only while no primary is left (nginx <c>backup</c>). YARP's
/// own active health checks would probe every instance a second time from every gateway replica; the verdicts come as
/// events instead. YARP has no backup tier; it lives here, and only here, because this runs when a verdict, an
/// ejection or the configuration changes, not on every request, and the load-balancing policy then never sees a
/// backup while a primary is available.
/// </summary>
internal sealed class EventDrivenDestinationsPolicy(InstanceHealthRegistry registry) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "EventDriven";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations) =>
        GetAvailableDestinations(config.ClusterId, allDestinations, excluded: null);

    /// <summary>
    /// The same choice without <paramref name="excluded"/>: where a retry goes after that destination failed, which
    /// may be a backup when the failed one was the last primary.
    /// </summary>
    public IReadOnlyList<DestinationState> GetAvailableDestinations(
        string clusterId, IReadOnlyList<DestinationState> allDestinations, DestinationState? excluded)
    {
        var available = Choose(clusterId, allDestinations, excluded, countPassive: true);
        // Passive ejections never empty a pool: nginx never takes a group's only server out (max_fails is ignored for
        // it), and Envoy's panic threshold sends to every host when too few are healthy. A pool whose every instance
        // failed a few requests in a row (a busy moment, a slow dependency) is tried as it is rather than answering
        // 503 to everything for FailTimeout; the health monitor's verdicts still hold.
        return available.Count > 0 ? available : Choose(clusterId, allDestinations, excluded, countPassive: false);
    }

    private List<DestinationState> Choose(
        string clusterId, IReadOnlyList<DestinationState> allDestinations, DestinationState? excluded, bool countPassive)
    {
        var primaries = new List<DestinationState>(allDestinations.Count);
        List<DestinationState>? backups = null;
        foreach (var destination in allDestinations)
        {
            if (destination == excluded
                || (countPassive && destination.Health.Passive == DestinationHealth.Unhealthy)
                || registry.IsUnhealthy(clusterId, destination.DestinationId))
            {
                continue;
            }
            if (DestinationMetadata.IsBackup(destination))
            {
                (backups ??= []).Add(destination);
            }
            else
            {
                primaries.Add(destination);
            }
        }
        return primaries.Count > 0 || backups is null ? primaries : backups;
    }
}
