using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.Tests.Support;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.LoadBalancing;

/// <summary>
/// <see cref="WeightedLeastRequestsPolicy"/> at its edges: the order of the weighted turns, ties among some of the
/// instances only, and the largest pool it serves without allocating.
/// </summary>
public class WeightedTurnsTests
{
    private static readonly HttpContext Context = new DefaultHttpContext();

    [Fact]
    public void Weights_3_and_1_with_nothing_in_flight_go_a_a_a_b_from_the_first_request()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var cluster = Cluster();
        DestinationState[] available = [Destinations.Create("a", weight: 3), Destinations.Create("b", weight: 1)];

        var picks = string.Concat(Enumerable.Range(0, 8).Select(_ => policy.PickDestination(Context, cluster, available)!.DestinationId));

        Assert.Equal("aaabaaab", picks);
    }

    [Fact]
    public void Each_pool_takes_its_own_turns()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var (first, second) = (Cluster(), Cluster());
        DestinationState[] available = [Destinations.Create("a"), Destinations.Create("b")];

        var picks = string.Concat(
            policy.PickDestination(Context, first, available)!.DestinationId,
            policy.PickDestination(Context, second, available)!.DestinationId,
            policy.PickDestination(Context, first, available)!.DestinationId);

        Assert.Equal("aab", picks);
    }

    [Fact]
    public void A_pick_without_a_tie_does_not_use_up_a_turn()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var cluster = Cluster();
        DestinationState[] available = [Destinations.Create("a"), Destinations.Create("b")];

        var first = policy.PickDestination(Context, cluster, available)!.DestinationId;
        available[1].ConcurrentRequestCount = 1;
        var clear = policy.PickDestination(Context, cluster, available)!.DestinationId;
        available[1].ConcurrentRequestCount = 0;
        var next = policy.PickDestination(Context, cluster, available)!.DestinationId;

        Assert.Equal("aab", first + clear + next); // b's turn comes after a's, whatever was picked in between
    }

    [Theory]
    [InlineData(new[] { 2, 0, 0 }, "bcbcbc")] // the busier first instance is never tied
    [InlineData(new[] { 0, 1, 0 }, "acacac")] // nor is a busier one between the tied
    [InlineData(new[] { 1, 1, 0 }, "cccccc")]
    public void Only_the_least_loaded_instances_take_turns(int[] inFlight, string expected)
    {
        var policy = new WeightedLeastRequestsPolicy();
        var cluster = Cluster();
        DestinationState[] available =
        [
            Destinations.Create("a", inFlight: inFlight[0]),
            Destinations.Create("b", inFlight: inFlight[1]),
            Destinations.Create("c", inFlight: inFlight[2]),
        ];

        var picks = string.Concat(Enumerable.Range(0, 6).Select(_ => policy.PickDestination(Context, cluster, available)!.DestinationId));

        Assert.Equal(expected, picks);
    }

    [Fact]
    public void Instances_with_the_same_load_per_unit_of_weight_are_tied()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var cluster = Cluster();
        DestinationState[] available =
        [
            Destinations.Create("a", weight: 1, inFlight: 2), // 2 per unit
            Destinations.Create("b", weight: 2, inFlight: 2), // 1 per unit
            Destinations.Create("c", weight: 1, inFlight: 1), // 1 per unit
        ];

        var picks = string.Concat(Enumerable.Range(0, 6).Select(_ => policy.PickDestination(Context, cluster, available)!.DestinationId));

        Assert.Equal("bbcbbc", picks);
    }

    [Theory]
    [InlineData(64)] // the largest pool whose counts fit on the stack
    [InlineData(65)]
    public void Picks_the_least_loaded_of_a_large_pool(int size)
    {
        var policy = new WeightedLeastRequestsPolicy();
        var available = Enumerable.Range(0, size).Select(i => Destinations.Create($"i{i}", inFlight: i == size - 2 ? 0 : 1)).ToArray();

        Assert.Equal($"i{size - 2}", policy.PickDestination(Context, Cluster(), available)?.DestinationId);
    }

    [Fact]
    public void Picking_among_64_allocates_nothing()
    {
        var policy = new WeightedLeastRequestsPolicy();
        var cluster = Cluster();
        var available = Enumerable.Range(0, 64).Select(i => Destinations.Create($"i{i}", weight: 1 + i % 3, inFlight: i % 2)).ToArray();
        policy.PickDestination(Context, cluster, available); // first use creates the cached weights and turn counter

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            policy.PickDestination(Context, cluster, available);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static ClusterState Cluster() => Destinations.Cluster(new ClusterConfig { ClusterId = "backend" });
}
