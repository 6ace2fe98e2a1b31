using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.Tests.Support;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.LoadBalancing;

public class WeightedLeastRequestsPolicyTests
{
    private static readonly ClusterState Cluster = Destinations.Cluster(new ClusterConfig { ClusterId = "backend" });
    private static readonly HttpContext Context = new DefaultHttpContext();

    [Fact]
    public void Picks_the_fewest_requests_in_flight_per_unit_of_weight()
    {
        DestinationState[] available =
        [
            Destinations.Create("a", weight: 3, inFlight: 3), // 1 per unit
            Destinations.Create("b", weight: 1, inFlight: 2), // 2 per unit
            Destinations.Create("c", weight: 2, inFlight: 1), // 0.5 per unit
        ];

        var picked = new WeightedLeastRequestsPolicy().PickDestination(Context, Cluster, available);

        Assert.Equal("c", picked?.DestinationId);
    }

    [Fact]
    public void Equal_instances_with_nothing_in_flight_are_taken_in_turn()
    {
        var policy = new WeightedLeastRequestsPolicy();
        DestinationState[] available = [Destinations.Create("a"), Destinations.Create("b"), Destinations.Create("c")];

        var picks = Enumerable.Range(0, 30).Select(_ => policy.PickDestination(Context, Cluster, available)!.DestinationId).ToList();

        Assert.All(available, d => Assert.Equal(10, picks.Count(id => id == d.DestinationId)));
    }

    [Fact]
    public void Ties_are_shared_in_proportion_to_weight()
    {
        var policy = new WeightedLeastRequestsPolicy();
        DestinationState[] available = [Destinations.Create("a", weight: 3), Destinations.Create("b", weight: 1)];

        var picks = Enumerable.Range(0, 40).Select(_ => policy.PickDestination(Context, Cluster, available)!.DestinationId).ToList();

        Assert.Equal(30, picks.Count(id => id == "a"));
    }

    [Fact]
    public void Requests_that_stay_in_flight_fill_instances_in_proportion_to_weight()
    {
        var policy = new WeightedLeastRequestsPolicy();
        DestinationState[] available = [Destinations.Create("a", weight: 3), Destinations.Create("b", weight: 1)];

        for (var i = 0; i < 40; i++)
        {
            policy.PickDestination(Context, Cluster, available)!.ConcurrentRequestCount++;
        }

        Assert.Equal(30, available[0].ConcurrentRequestCount);
        Assert.Equal(10, available[1].ConcurrentRequestCount);
    }

    [Fact]
    public void No_destination_gives_null_and_one_gives_that_one()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var only = Destinations.Create("a", inFlight: 100);

        Assert.Null(policy.PickDestination(Context, Cluster, []));
        Assert.Same(only, policy.PickDestination(Context, Cluster, [only]));
    }

    [Fact]
    public void Picking_allocates_nothing()
    {
        var policy = new WeightedLeastRequestsPolicy();
        DestinationState[] available =
        [
            Destinations.Create("a", weight: 3, inFlight: 2),
            Destinations.Create("b", weight: 1),
            Destinations.Create("c", weight: 2, inFlight: 1),
        ];
        policy.PickDestination(Context, Cluster, available); // first use creates the cached weights and turn counter

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            policy.PickDestination(Context, Cluster, available);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
