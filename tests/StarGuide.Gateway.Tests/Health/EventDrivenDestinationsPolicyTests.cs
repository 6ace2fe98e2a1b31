using StarGuide.Gateway.Health;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.Health;

public class EventDrivenDestinationsPolicyTests
{
    private static readonly ClusterConfig Backend = new() { ClusterId = "backend" };
    private static readonly DestinationState[] Destinations = [new("backend-1"), new("backend-2")];

    [Fact]
    public void Instances_never_reported_are_available()
    {
        var policy = new EventDrivenDestinationsPolicy(new InstanceHealthRegistry());

        var available = policy.GetAvailalableDestinations(Backend, Destinations);

        Assert.Equal(["backend-1", "backend-2"], available.Select(d => d.DestinationId));
    }

    [Fact]
    public void Unhealthy_instance_is_left_out_until_it_recovers()
    {
        var registry = new InstanceHealthRegistry();
        var policy = new EventDrivenDestinationsPolicy(registry);

        registry.SetUnhealthy("backend", "backend-1", unhealthy: true);
        Assert.Equal(["backend-2"], policy.GetAvailalableDestinations(Backend, Destinations).Select(d => d.DestinationId));

        registry.SetUnhealthy("backend", "backend-1", unhealthy: false);
        Assert.Equal(2, policy.GetAvailalableDestinations(Backend, Destinations).Count);
    }

    [Fact]
    public void Verdicts_are_per_pool_and_ignore_case()
    {
        var registry = new InstanceHealthRegistry();
        registry.SetUnhealthy("FRONTEND", "backend-1", unhealthy: true);
        registry.SetUnhealthy("Backend", "BACKEND-2", unhealthy: true);

        Assert.False(registry.IsUnhealthy("backend", "backend-1"));
        Assert.True(registry.IsUnhealthy("backend", "backend-2"));
    }

    [Fact]
    public void A_duplicate_verdict_is_reported_as_no_change()
    {
        var registry = new InstanceHealthRegistry();

        Assert.True(registry.SetUnhealthy("backend", "backend-1", unhealthy: true));
        Assert.False(registry.SetUnhealthy("backend", "backend-1", unhealthy: true));
        Assert.True(registry.SetUnhealthy("backend", "backend-1", unhealthy: false));
    }
}
