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

        registry.SetInRotation("backend", "backend-1", inRotation: false);
        Assert.Equal(["backend-2"], policy.GetAvailalableDestinations(Backend, Destinations).Select(d => d.DestinationId));

        registry.SetInRotation("backend", "backend-1", inRotation: true);
        Assert.Equal(2, policy.GetAvailalableDestinations(Backend, Destinations).Count);
    }

    [Fact]
    public void Verdicts_are_per_pool_and_ignore_case()
    {
        var registry = new InstanceHealthRegistry();
        registry.SetInRotation("FRONTEND", "backend-1", inRotation: false);
        registry.SetInRotation("Backend", "BACKEND-2", inRotation: false);

        Assert.False(registry.IsUnhealthy("backend", "backend-1"));
        Assert.True(registry.IsUnhealthy("backend", "backend-2"));
    }

    [Fact]
    public void A_duplicate_verdict_is_reported_as_no_change()
    {
        var registry = new InstanceHealthRegistry();

        Assert.True(registry.SetInRotation("backend", "backend-1", inRotation: false));
        Assert.False(registry.SetInRotation("backend", "backend-1", inRotation: false));
        Assert.True(registry.SetInRotation("backend", "backend-1", inRotation: true));
    }

    [Fact]
    public void Passively_ejected_instance_is_left_out_until_reactivated()
    {
        var policy = new EventDrivenDestinationsPolicy(new InstanceHealthRegistry());
        DestinationState[] all = [Support.Destinations.Create("a"), Support.Destinations.Create("b")];

        all[0].Health.Passive = DestinationHealth.Unhealthy;
        Assert.Equal(["b"], Ids(policy.GetAvailalableDestinations(Backend, all)));

        all[0].Health.Passive = DestinationHealth.Unknown;
        Assert.Equal(["a", "b"], Ids(policy.GetAvailalableDestinations(Backend, all)));
    }

    [Fact]
    public void Backups_are_left_out_while_a_primary_is_available()
    {
        var registry = new InstanceHealthRegistry();
        var policy = new EventDrivenDestinationsPolicy(registry);
        DestinationState[] all =
        [
            Support.Destinations.Create("primary-1"),
            Support.Destinations.Create("backup-1", backup: true),
            Support.Destinations.Create("primary-2"),
        ];

        Assert.Equal(["primary-1", "primary-2"], Ids(policy.GetAvailalableDestinations(Backend, all)));

        registry.SetInRotation("backend", "primary-1", inRotation: false);
        all[2].Health.Passive = DestinationHealth.Unhealthy;
        Assert.Equal(["backup-1"], Ids(policy.GetAvailalableDestinations(Backend, all)));

        registry.SetInRotation("backend", "primary-1", inRotation: true);
        Assert.Equal(["primary-1"], Ids(policy.GetAvailalableDestinations(Backend, all)));
    }

    [Fact]
    public void Nothing_is_available_when_every_instance_is_out()
    {
        var registry = new InstanceHealthRegistry();
        var policy = new EventDrivenDestinationsPolicy(registry);
        DestinationState[] all = [Support.Destinations.Create("primary"), Support.Destinations.Create("backup", backup: true)];

        registry.SetInRotation("backend", "primary", inRotation: false);
        registry.SetInRotation("backend", "backup", inRotation: false);

        Assert.Empty(policy.GetAvailalableDestinations(Backend, all));
    }

    [Fact]
    public void Excluding_the_last_primary_leaves_the_backups()
    {
        var policy = new EventDrivenDestinationsPolicy(new InstanceHealthRegistry());
        DestinationState[] all = [Support.Destinations.Create("primary"), Support.Destinations.Create("backup", backup: true)];

        Assert.Equal(["backup"], Ids(policy.GetAvailableDestinations("backend", all, excluded: all[0])));
    }

    private static IEnumerable<string> Ids(IReadOnlyList<DestinationState> destinations) => destinations.Select(d => d.DestinationId);
}
