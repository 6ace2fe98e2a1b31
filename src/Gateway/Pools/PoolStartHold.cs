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
    private static readonly TimeSpan ConfigSwapPoll = TimeSpan.FromMilliseconds(10);
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
        var deadline = timeProvider.GetTimestamp() + (long)(_hold.TotalSeconds * timeProvider.TimestampFrequency);
        try
        {
            await known.WaitAsync(_hold, timeProvider, context.RequestAborted);
            // The registry has swapped YARP's configuration and the cluster's destinations follow it, in practice at
            // once; should they lag, they are waited for while the pool has members and the hold lasts.
            while (cluster.DestinationsState.AvailableDestinations.Count == 0 && pools.HasMembers(cluster.ClusterId)
                && timeProvider.GetTimestamp() < deadline)
            {
                await Task.Delay(ConfigSwapPoll, timeProvider, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return;
        }
        proxy.AvailableDestinations = cluster.DestinationsState.AvailableDestinations;
    }
}
