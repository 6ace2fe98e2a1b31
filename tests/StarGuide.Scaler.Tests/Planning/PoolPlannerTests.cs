using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Tests.Planning;

/// <summary>The self-healing rules, one at a time, on a fixed clock: each test fails when its rule is taken out.</summary>
public sealed class PoolPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly PoolPolicy Policy = new(
        StartTimeout: TimeSpan.FromSeconds(60),
        DrainDelay: TimeSpan.FromSeconds(2),
        MinUptime: TimeSpan.FromSeconds(10),
        BackoffInitial: TimeSpan.FromSeconds(1),
        BackoffMax: TimeSpan.FromSeconds(60));

    private static MemberView Member(string id, MemberState state, double startedSecondsAgo = 100, double sinceSecondsAgo = 50) =>
        new(id, state, Now.AddSeconds(-startedSecondsAgo), Now.AddSeconds(-sinceSecondsAgo));

    private static PoolSituation Pool(int desired, params MemberView[] members) =>
        new(desired, members, Launching: 0, CrashStreak: 0, LastCrashAt: null, BackoffUntil: null);

    [Fact]
    public void An_empty_pool_starts_its_desired_size()
    {
        var plan = PoolPlanner.Plan(Pool(3), Policy, Now);

        Assert.Equal(3, plan.Start);
        Assert.Empty(plan.Drain);
        Assert.Empty(plan.Stop);
    }

    [Fact]
    public void A_pool_at_its_size_does_nothing()
    {
        var plan = PoolPlanner.Plan(Pool(2, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Starting, startedSecondsAgo: 5)), Policy, Now);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Starts_still_launching_count_as_capacity_so_none_is_started_twice()
    {
        var plan = PoolPlanner.Plan(Pool(2, Member("b-1", MemberState.Ready)) with { Launching = 1 }, Policy, Now);

        Assert.Equal(0, plan.Start);
    }

    [Fact]
    public void An_unhealthy_instance_is_not_capacity_and_gets_a_replacement_before_it_is_drained()
    {
        var plan = PoolPlanner.Plan(Pool(2, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Unhealthy)), Policy, Now);

        Assert.Equal(1, plan.Start);
        Assert.Empty(plan.Drain);
    }

    [Fact]
    public void An_unhealthy_instance_is_drained_once_enough_instances_are_ready()
    {
        var plan = PoolPlanner.Plan(Pool(2,
            Member("b-1", MemberState.Ready), Member("b-2", MemberState.Unhealthy), Member("b-3", MemberState.Ready)), Policy, Now);

        Assert.Equal(0, plan.Start);
        Assert.Equal(["b-2"], plan.Drain.Select(d => d.InstanceId));
    }

    [Fact]
    public void An_unhealthy_instance_stays_while_its_replacement_is_only_starting()
    {
        var plan = PoolPlanner.Plan(Pool(2,
            Member("b-1", MemberState.Ready), Member("b-2", MemberState.Unhealthy), Member("b-3", MemberState.Starting, startedSecondsAgo: 5)), Policy, Now);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Scaling_down_drains_instances_that_do_not_serve_yet_before_those_that_do_newest_first()
    {
        var plan = PoolPlanner.Plan(Pool(1,
            Member("b-1", MemberState.Ready, startedSecondsAgo: 300),
            Member("b-2", MemberState.Ready, startedSecondsAgo: 200),
            Member("b-3", MemberState.Starting, startedSecondsAgo: 5)), Policy, Now);

        Assert.Equal(["b-3", "b-2"], plan.Drain.Select(d => d.InstanceId));
        Assert.All(plan.Drain, d => Assert.Contains("scaled down to 1", d.Reason));
    }

    [Fact]
    public void Scaling_down_while_a_start_is_launching_drains_only_what_the_launch_does_not_cover()
    {
        var plan = PoolPlanner.Plan(Pool(2,
            Member("b-1", MemberState.Ready), Member("b-2", MemberState.Ready)) with { Launching = 1 }, Policy, Now);

        Assert.Empty(plan.Drain);
    }

    [Fact]
    public void A_draining_instance_is_stopped_only_after_the_drain_delay()
    {
        var early = PoolPlanner.Plan(Pool(1, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Draining, sinceSecondsAgo: 1)), Policy, Now);
        var late = PoolPlanner.Plan(Pool(1, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Draining, sinceSecondsAgo: 2)), Policy, Now);

        Assert.Empty(early.Stop);
        Assert.Equal(["b-2"], late.Stop.Select(s => s.InstanceId));
        Assert.False(late.Stop[0].FailedStart);
    }

    [Fact]
    public void Draining_and_stopping_instances_are_not_capacity()
    {
        var plan = PoolPlanner.Plan(Pool(2,
            Member("b-1", MemberState.Ready), Member("b-2", MemberState.Draining, sinceSecondsAgo: 0), Member("b-3", MemberState.Stopping)), Policy, Now);

        Assert.Equal(1, plan.Start);
    }

    [Fact]
    public void An_instance_not_healthy_within_the_start_timeout_is_stopped_as_a_failed_start_and_replaced()
    {
        var plan = PoolPlanner.Plan(Pool(2, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Starting, startedSecondsAgo: 60)), Policy, Now);

        var stop = Assert.Single(plan.Stop);
        Assert.Equal("b-2", stop.InstanceId);
        Assert.True(stop.FailedStart);
        Assert.Equal(1, plan.Start);
    }

    [Fact]
    public void Starts_wait_for_the_back_off_and_say_why()
    {
        var situation = Pool(2, Member("b-1", MemberState.Ready)) with { CrashStreak = 3, LastCrashAt = Now, BackoffUntil = Now.AddSeconds(4) };

        var during = PoolPlanner.Plan(situation, Policy, Now.AddSeconds(3));
        var after = PoolPlanner.Plan(situation, Policy, Now.AddSeconds(4));

        Assert.Equal(0, during.Start);
        Assert.Contains("back-off after 3 crash(es)", during.HeldBack);
        Assert.Equal(1, after.Start);
        Assert.Null(after.HeldBack);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(40, 60)]
    public void The_back_off_doubles_with_each_crash_up_to_the_maximum(int crashStreak, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Policy.Backoff(crashStreak));
    }

    [Fact]
    public void The_crash_streak_is_cleared_by_an_instance_started_after_the_last_crash_that_stays_ready()
    {
        var situation = Pool(2,
            Member("b-1", MemberState.Ready, startedSecondsAgo: 1000, sinceSecondsAgo: 900),
            Member("b-9", MemberState.Ready, startedSecondsAgo: 15, sinceSecondsAgo: 12)) with { CrashStreak = 4, LastCrashAt = Now.AddSeconds(-20) };

        Assert.True(PoolPlanner.Plan(situation, Policy, Now).ResetCrashStreak);
    }

    [Fact]
    public void An_old_healthy_instance_does_not_clear_the_crash_streak_of_a_crash_looping_start()
    {
        var situation = Pool(2, Member("b-1", MemberState.Ready, startedSecondsAgo: 1000, sinceSecondsAgo: 900))
            with { CrashStreak = 4, LastCrashAt = Now.AddSeconds(-20), BackoffUntil = Now.AddSeconds(-4) };

        var plan = PoolPlanner.Plan(situation, Policy, Now);

        Assert.False(plan.ResetCrashStreak);
        Assert.Equal(1, plan.Start);
    }

    [Fact]
    public void A_fresh_ready_instance_does_not_clear_the_crash_streak_before_the_minimum_uptime()
    {
        var situation = Pool(1, Member("b-9", MemberState.Ready, startedSecondsAgo: 8, sinceSecondsAgo: 5))
            with { CrashStreak = 2, LastCrashAt = Now.AddSeconds(-9) };

        Assert.False(PoolPlanner.Plan(situation, Policy, Now).ResetCrashStreak);
    }
}
