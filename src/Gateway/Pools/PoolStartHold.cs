using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// Holds a request for a pool that has no member known yet (a replica that has just started: none configured, no event
/// from the scaler yet) until the pool's first members arrive, at most <see cref="PoolStartOptions.Hold"/>, instead of
/// answering 503 at once. Found by bench/chaos.sh: a gateway replica restarted by a crash answered 503 to every request
/// of its first second, before the edge's health check had noticed it was back. Once every pool is known,
/// <see cref="IsWaiting"/> stays false and the per-request cost is that one read.
/// </summary>
internal sealed class PoolStartHold(PoolRegistry pools, IOptions<PoolStartOptions> options, TimeProvider timeProvider)
{
    private readonly TimeSpan _hold = options.Value.Hold;

    /// <summary>True while some pool has no member known; false for good from the moment every pool has had one.</summary>
    public bool IsWaiting => pools.AwaitingMembers;

    /// <summary>
    /// Waits, when the request's pool has no member known and no destination, for the pool's first members and then
    /// gives the request the destinations they brought. Returns at the hold's end or when the client leaves (the request
    /// is then answered as before: 503, no instance).
    /// </summary>
    public async Task WaitForMembersAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (_hold <= TimeSpan.Zero || proxy.AvailableDestinations.Count > 0 || proxy.Route.Cluster is not { } cluster
            || pools.MembersKnown(cluster.ClusterId) is not { } known)
        {
            return;
        }
        try
        {
            // The registry completes it after swapping YARP's configuration, which updates the cluster's destinations
            // before it returns: they are there when the request goes on.
            await known.WaitAsync(_hold, timeProvider, context.RequestAborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return;
        }
        proxy.AvailableDestinations = cluster.DestinationsState.AvailableDestinations;
    }
}
