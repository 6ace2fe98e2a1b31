using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Membership;
using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Tests.Membership;

public class PoolMembershipTests
{
    private static readonly Uri A = new("http://127.0.0.1:8001");
    private static readonly Uri B = new("http://127.0.0.1:8002");
    private static readonly Uri C = new("http://127.0.0.1:8003");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly ProbingOptions Probing = new();

    private static PoolMembership NewMembership(PoolsOptions? pools = null) =>
        new(Options.Create(pools ?? new PoolsOptions()), NullLogger<PoolMembership>.Instance);

    private static PoolsOptions Configured(params (string Id, Uri Address)[] instances)
    {
        var pools = new PoolsOptions { ["backend"] = new PoolOptions { HealthPath = "/api/health" } };
        foreach (var (id, address) in instances)
        {
            pools["backend"].Instances.Add(new InstanceOptions { Id = id, Address = address.ToString() });
        }
        return pools;
    }

    private static InstanceStarted Started(string id, Uri address, long version, string pool = "backend") =>
        new(id, pool, address, 1, false, version, Now);

    private static InstanceStopped Stopped(string id, Uri address, long version) =>
        new(id, "backend", address, "scaled down", version, Now);

    private static PoolChanged Snapshot(long version, params (string Id, Uri Address)[] members) =>
        new("backend", version, [.. members.Select(m => new PoolMember(m.Id, m.Address, 1, false, Ready: true))], Now);

    private static string[] Members(PoolMembership membership) =>
        [.. membership.Trackers.Select(t => $"{t.Pool}/{t.InstanceId}@{t.Address.Port}").Order()];

    [Fact]
    public void Configured_instances_are_probed_at_pool_version_0()
    {
        var membership = NewMembership(Configured(("a", A), ("b", B)));

        Assert.Equal(["backend/a@8001", "backend/b@8002"], Members(membership));
        Assert.Equal(0, membership.VersionOf("backend"));
        Assert.All(membership.Trackers, t => Assert.Equal("/api/health", t.ProbeUri.AbsolutePath));
    }

    [Fact]
    public void A_monitor_that_missed_the_events_before_a_stop_takes_the_snapshot_of_that_version()
    {
        // Started after b and c joined (versions 1, 2): it knows only the configured a, then takes the stop of a (version 3).
        var membership = NewMembership(Configured(("a", A)));
        Assert.True(membership.Apply(Stopped("a", A, 3)));
        Assert.Empty(Members(membership));

        Assert.True(membership.Apply(Snapshot(3, ("b", B), ("c", C))));

        Assert.Equal(["backend/b@8002", "backend/c@8003"], Members(membership));
        Assert.False(membership.Apply(Snapshot(3, ("b", B), ("c", C))), "the same snapshot again changes nothing");
    }

    [Fact]
    public void Started_instance_is_added_unknown_and_the_pool_moves_to_its_version()
    {
        var membership = NewMembership(Configured(("a", A)));

        Assert.True(membership.Apply(Started("b", B, 1)));

        Assert.Equal(["backend/a@8001", "backend/b@8002"], Members(membership));
        Assert.Equal(1, membership.VersionOf("backend"));
        var added = membership.Trackers.Single(t => t.InstanceId == "b");
        Assert.Equal(HealthVerdict.Unknown, added.Verdict);
        Assert.Equal(new Uri("http://127.0.0.1:8002/api/health"), added.ProbeUri);
    }

    [Fact]
    public void Events_at_or_below_the_pool_version_change_nothing()
    {
        var membership = NewMembership(Configured(("a", A)));
        membership.Apply(Started("b", B, 2));
        var before = membership.Trackers;

        Assert.False(membership.Apply(Started("c", C, 2)));
        Assert.False(membership.Apply(Stopped("b", B, 1)));
        Assert.False(membership.Apply(Snapshot(1, ("c", C))));
        Assert.False(membership.Apply(Snapshot(2, ("a", A), ("b", B))), "a snapshot of the same version that says the same");
        Assert.False(membership.Apply(new InstanceDraining("a", "backend", A, 0, Now, Now)));

        Assert.Same(before, membership.Trackers);
        Assert.Equal(2, membership.VersionOf("backend"));
    }

    [Fact]
    public void Stopped_and_draining_instances_leave_probing_and_their_trackers_are_retired()
    {
        var membership = NewMembership(Configured(("a", A), ("b", B)));
        var a = membership.Trackers.Single(t => t.InstanceId == "a");
        var b = membership.Trackers.Single(t => t.InstanceId == "b");

        Assert.True(membership.Apply(new InstanceDraining("a", "backend", A, 1, Now.AddSeconds(30), Now)));
        Assert.True(membership.Apply(Stopped("b", B, 2)));

        Assert.Empty(membership.Trackers);
        Assert.True(a.IsRetired);
        Assert.True(b.IsRetired);
        Assert.Equal(2, membership.VersionOf("backend"));
    }

    [Fact]
    public void Stopping_an_instance_that_is_not_a_member_still_moves_the_version()
    {
        var membership = NewMembership(Configured(("a", A)));

        Assert.True(membership.Apply(Stopped("ghost", B, 1)));

        Assert.Equal(["backend/a@8001"], Members(membership));
        Assert.Equal(1, membership.VersionOf("backend"));
    }

    [Fact]
    public void Snapshot_replaces_the_set_and_keeps_the_trackers_of_instances_that_stay()
    {
        var membership = NewMembership(Configured(("a", A), ("b", B)));
        var a = membership.Trackers.Single(t => t.InstanceId == "a");
        var b = membership.Trackers.Single(t => t.InstanceId == "b");
        a.Record(ProbeResult.Success(200), Probing);
        a.MarkAnnounced(HealthVerdict.Healthy);
        a.Record(ProbeResult.Failure("timeout"), Probing);

        Assert.True(membership.Apply(Snapshot(5, ("a", A), ("c", C))));

        Assert.Equal(["backend/a@8001", "backend/c@8003"], Members(membership));
        var kept = membership.Trackers.Single(t => t.InstanceId == "a");
        Assert.Same(a, kept);
        Assert.False(kept.IsRetired);
        Assert.Equal(HealthVerdict.Healthy, kept.Verdict);
        Assert.Equal(HealthVerdict.Healthy, kept.Announced);
        Assert.Equal(1, kept.ConsecutiveFailures);
        Assert.True(b.IsRetired);
        Assert.Equal(5, membership.VersionOf("backend"));
    }

    [Fact]
    public void Snapshot_member_at_a_new_address_gets_a_new_tracker()
    {
        var membership = NewMembership(Configured(("a", A)));
        var old = membership.Trackers.Single();

        membership.Apply(Snapshot(1, ("a", B)));

        var current = Assert.Single(membership.Trackers);
        Assert.NotSame(old, current);
        Assert.Equal(B, current.Address);
        Assert.True(old.IsRetired);
    }

    [Fact]
    public void Empty_snapshot_removes_every_instance_of_the_pool_only()
    {
        var pools = Configured(("a", A));
        pools["frontend"] = new PoolOptions { Instances = [new InstanceOptions { Id = "f", Address = C.ToString() }] };
        var membership = NewMembership(pools);

        membership.Apply(Snapshot(1));

        Assert.Equal(["frontend/f@8003"], Members(membership));
    }

    [Fact]
    public void Instance_started_again_under_its_id_starts_with_a_clean_slate()
    {
        var membership = NewMembership(Configured(("a", A)));
        var old = membership.Trackers.Single();
        old.Record(ProbeResult.Failure("refused"), Probing);
        old.Record(ProbeResult.Failure("refused"), Probing);
        old.MarkAnnounced(HealthVerdict.Unhealthy);

        membership.Apply(Started("a", A, 1));

        var fresh = Assert.Single(membership.Trackers);
        Assert.NotSame(old, fresh);
        Assert.True(old.IsRetired);
        Assert.Equal(HealthVerdict.Unknown, fresh.Verdict);
        fresh.Record(ProbeResult.Success(200), Probing);
        Assert.True(fresh.NeedsAnnouncement);
    }

    [Fact]
    public void Pool_known_only_from_events_is_accepted_and_probed_on_the_default_health_path()
    {
        var membership = NewMembership();

        Assert.True(membership.Apply(Started("x-1", A, 1, pool: "extra")));

        var tracker = Assert.Single(membership.Trackers);
        Assert.Equal("extra", tracker.Pool);
        Assert.Equal(new Uri("http://127.0.0.1:8001/health"), tracker.ProbeUri);
        Assert.Equal(1, membership.VersionOf("extra"));
    }

    [Fact]
    public void Pool_configured_with_only_a_health_path_probes_event_members_on_that_path()
    {
        var membership = NewMembership(Configured());
        Assert.Empty(membership.Trackers);

        membership.Apply(Snapshot(1, ("a", A)));
        membership.Apply(Started("b", B, 2, pool: "BACKEND"));

        Assert.Equal(["backend/a@8001", "backend/b@8002"], Members(membership));
        Assert.All(membership.Trackers, t => Assert.Equal("/api/health", t.ProbeUri.AbsolutePath));
    }

    [Fact]
    public void A_list_read_before_a_change_is_not_changed_by_it()
    {
        var membership = NewMembership(Configured(("a", A)));
        var round = membership.Trackers;

        membership.Apply(Started("b", B, 1));
        membership.Apply(Stopped("a", A, 2));

        Assert.Equal(["a"], round.Select(t => t.InstanceId));
        Assert.Equal(["b"], membership.Trackers.Select(t => t.InstanceId));
    }
}
