using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.LoadBalancing;

/// <summary>
/// nginx <c>least_conn</c> with <c>weight</c>: the destination with the fewest outstanding requests per unit of
/// weight, ties taken in weighted turns. Hand-written because YARP's <c>LeastRequests</c> has no weights and always
/// takes the first of equals (sequential requests would all go to one instance). Backups are not this policy's
/// concern: <see cref="Health.EventDrivenDestinationsPolicy"/> hands it only the tier that should take traffic.
/// </summary>
/// <remarks>Runs on every request: no LINQ, no allocation (counts and weights live on the stack).</remarks>
internal sealed class WeightedLeastRequestsPolicy : ILoadBalancingPolicy
{
    public const string PolicyName = "WeightedLeastRequests";

    private const int StackLimit = 64;

    private readonly ConditionalWeakTable<ClusterState, Turn> _turns = new();

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var count = availableDestinations.Count;
        if (count <= 1)
        {
            return count == 0 ? null : availableDestinations[0];
        }

        // Read each count once: they move while we look, and both passes must agree on who is tied.
        Span<int> requests = count <= StackLimit ? stackalloc int[count] : new int[count];
        Span<int> weights = count <= StackLimit ? stackalloc int[count] : new int[count];
        var best = 0;
        var tied = 0;
        var tiedWeight = 0;
        for (var i = 0; i < count; i++)
        {
            var destination = availableDestinations[i];
            requests[i] = destination.ConcurrentRequestCount;
            weights[i] = DestinationMetadata.WeightOf(destination);
            var order = i == 0 ? -1 : Compare(requests[i], weights[i], requests[best], weights[best]);
            if (order < 0)
            {
                best = i;
                tied = 1;
                tiedWeight = weights[i];
            }
            else if (order == 0)
            {
                tied++;
                tiedWeight += weights[i];
            }
        }
        if (tied == 1)
        {
            return availableDestinations[best];
        }

        // Weighted turns among equals: with weights 3 and 1 and nothing in flight, a a a b a a a b ...
        var turn = (int)(_turns.GetValue(cluster, static _ => new Turn()).Next() % (uint)tiedWeight);
        for (var i = best; i < count; i++)
        {
            if (Compare(requests[i], weights[i], requests[best], weights[best]) == 0)
            {
                turn -= weights[i];
                if (turn < 0)
                {
                    return availableDestinations[i];
                }
            }
        }
        return availableDestinations[best];
    }

    /// <summary>Compares requests/weight without dividing: a/wa &lt; b/wb ⇔ a·wb &lt; b·wa.</summary>
    private static int Compare(int requests, int weight, int otherRequests, int otherWeight) =>
        ((long)requests * otherWeight).CompareTo((long)otherRequests * weight);

    private sealed class Turn
    {
        private int _value = -1;

        public uint Next() => (uint)Interlocked.Increment(ref _value);
    }
}
