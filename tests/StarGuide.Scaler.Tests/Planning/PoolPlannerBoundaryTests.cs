using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Tests.Planning;

/// <summary>
/// The self-healing rules at their edges (found by mutation testing, docs/mutation-testing.md): the exact instant a
/// timeout, a back-off or an uptime is over, ties in the scale-down order, and what a plan says when nothing is to do.
/// </summary>
public sealed class PoolPlannerBoundaryTests
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

    [Theory]
    [InlineData(59.999, false)]
    [InlineData(60, true)]
    public void A_start_fails_at_the_instant_the_start_timeout_is_over_and_says_so(double startedSecondsAgo, bool failed)
    {
        var plan = PoolPlanner.Plan(Pool(1, Member("b-1", MemberState.Starting, startedSecondsAgo)), Policy, Now);

        if (failed)
        {
            var stop = Assert.Single(plan.Stop);
            Assert.Equal("not healthy 60 s after its start", stop.Reason);
            Assert.Equal(1, plan.Start);
        }
        else
        {
            Assert.True(plan.IsEmpty);
        }
    }

    [Fact]
    public void A_drained_instance_is_stopped_with_the_reason_drained()
    {
        var plan = PoolPlanner.Plan(Pool(1, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Draining, sinceSecondsAgo: 2)), Policy, Now);

        Assert.Equal("drained", Assert.Single(plan.Stop).Reason);
    }

    [Fact]
    public void Only_starting_instances_fail_to_start_and_only_draining_ones_are_drained()
    {
        // Long past every timeout and delay, in every other state: nothing is stopped.
        var plan = PoolPlanner.Plan(Pool(2,
            Member("b-1", MemberState.Ready, startedSecondsAgo: 1000, sinceSecondsAgo: 1000),
            Member("b-2", MemberState.Ready, startedSecondsAgo: 1000, sinceSecondsAgo: 1000),
            Member("b-3", MemberState.Stopping, startedSecondsAgo: 1000, sinceSecondsAgo: 1000)), Policy, Now);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_failed_start_is_not_capacity_but_the_other_starting_instances_are()
    {
        var plan = PoolPlanner.Plan(Pool(3,
            Member("b-1", MemberState.Ready),
            Member("b-2", MemberState.Starting, startedSecondsAgo: 61),
            Member("b-3", MemberState.Starting, startedSecondsAgo: 5)), Policy, Now);

        Assert.Equal(["b-2"], plan.Stop.Select(s => s.InstanceId));
        Assert.Equal(1, plan.Start);
        Assert.Empty(plan.Drain);
    }

    [Fact]
    public void A_pool_at_its_size_during_a_back_off_has_nothing_held_back()
    {
        var situation = Pool(1, Member("b-1", MemberState.Ready)) with { CrashStreak = 2, LastCrashAt = Now, BackoffUntil = Now.AddSeconds(2) };

        var plan = PoolPlanner.Plan(situation, Policy, Now);

        Assert.Null(plan.HeldBack);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void The_held_back_message_counts_the_missing_starts_and_the_seconds_left()
    {
        var situation = Pool(3, Member("b-1", MemberState.Ready)) with { CrashStreak = 3, LastCrashAt = Now, BackoffUntil = Now.AddSeconds(4) };

        var plan = PoolPlanner.Plan(situation, Policy, Now.AddSeconds(1.5));

        Assert.Equal("2 start(s) wait 2.5 s: back-off after 3 crash(es) in a row", plan.HeldBack);
    }

    [Fact]
    public void Surplus_instances_not_yet_ready_are_drained_newest_first()
    {
        var plan = PoolPlanner.Plan(Pool(1,
            Member("b-1", MemberState.Ready, startedSecondsAgo: 300),
            Member("b-2", MemberState.Starting, startedSecondsAgo: 20),
            Member("b-3", MemberState.Starting, startedSecondsAgo: 5),
            Member("b-4", MemberState.Starting, startedSecondsAgo: 10)), Policy, Now);

        Assert.Equal(["b-3", "b-4", "b-2"], plan.Drain.Select(d => d.InstanceId));
    }

    [Fact]
    public void An_unhealthy_instance_is_drained_with_its_reason()
    {
        var plan = PoolPlanner.Plan(Pool(1, Member("b-1", MemberState.Ready), Member("b-2", MemberState.Unhealthy)), Policy, Now);

        var drain = Assert.Single(plan.Drain);
        Assert.Equal("b-2", drain.InstanceId);
        Assert.Equal("unhealthy; replaced by a ready instance", drain.Reason);
    }

    [Theory]
    [InlineData(9.999, false)]
    [InlineData(10, true)]
    public void The_crash_streak_is_cleared_at_the_instant_the_minimum_uptime_is_over(double readySecondsAgo, bool cleared)
    {
        var situation = Pool(1, Member("b-9", MemberState.Ready, startedSecondsAgo: 15, sinceSecondsAgo: readySecondsAgo))
            with { CrashStreak = 2, LastCrashAt = Now.AddSeconds(-20) };

        Assert.Equal(cleared, PoolPlanner.Plan(situation, Policy, Now).ResetCrashStreak);
    }

    [Fact]
    public void An_instance_started_at_the_instant_of_the_last_crash_does_not_clear_the_streak()
    {
        var situation = Pool(1, Member("b-9", MemberState.Ready, startedSecondsAgo: 20, sinceSecondsAgo: 15))
            with { CrashStreak = 2, LastCrashAt = Now.AddSeconds(-20) };

        Assert.False(PoolPlanner.Plan(situation, Policy, Now).ResetCrashStreak);
    }

    [Fact]
    public void A_pool_whose_crash_loop_is_already_over_has_nothing_to_reset()
    {
        // The controller zeroes the streak but keeps the time of the last crash.
        var situation = Pool(1, Member("b-9", MemberState.Ready, startedSecondsAgo: 15, sinceSecondsAgo: 12))
            with { CrashStreak = 0, LastCrashAt = Now.AddSeconds(-20) };

        var plan = PoolPlanner.Plan(situation, Policy, Now);

        Assert.False(plan.ResetCrashStreak);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_start_failing_now_keeps_the_crash_streak_even_beside_a_proven_instance()
    {
        var situation = Pool(2,
            Member("b-8", MemberState.Ready, startedSecondsAgo: 15, sinceSecondsAgo: 12),
            Member("b-9", MemberState.Starting, startedSecondsAgo: 60)) with { CrashStreak = 2, LastCrashAt = Now.AddSeconds(-20) };

        var plan = PoolPlanner.Plan(situation, Policy, Now);

        Assert.True(Assert.Single(plan.Stop).FailedStart);
        Assert.False(plan.ResetCrashStreak);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    public void No_crash_means_no_back_off(int crashStreak, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Policy.Backoff(crashStreak));
    }

    /// <summary>The planner tests read "nothing to do" from <see cref="PoolPlan.IsEmpty"/>: each action alone makes a plan non-empty.</summary>
    [Theory]
    [InlineData(0, 0, 0, false, true)]
    [InlineData(1, 0, 0, false, false)]
    [InlineData(0, 1, 0, false, false)]
    [InlineData(0, 0, 1, false, false)]
    [InlineData(0, 0, 0, true, false)]
    public void A_plan_is_empty_only_when_it_starts_drains_stops_and_resets_nothing(int start, int drain, int stop, bool reset, bool empty)
    {
        var plan = new PoolPlan(start, [.. Enumerable.Repeat(new PlannedStop("b-1", "scaled down to 1"), drain)],
            [.. Enumerable.Repeat(new PlannedStop("b-2", "drained"), stop)], HeldBack: "a wait is not an action", reset);

        Assert.Equal(empty, plan.IsEmpty);
    }
}
