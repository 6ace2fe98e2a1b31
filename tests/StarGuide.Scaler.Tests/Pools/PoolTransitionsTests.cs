using StarGuide.Contracts;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Pools;

/// <summary>
/// The pool's state machine on a fixed clock: every member state against every input that concerns a member (the
/// table), then the inputs that concern the pool (starts, scaling, bounds, listings, adoption, crash loops). Effects
/// are compared as short words in order: "publish InstanceStopped", "save", "start b-3", "stop b-2", "list", or a
/// fact's name.
/// </summary>
public sealed class PoolTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri Address1 = new("http://127.0.0.1:5001/");
    private static readonly Uri Address2 = new("http://127.0.0.1:5002/");

    private static ScalerPoolOptions Options() => new()
    {
        Instances = 2, MinInstances = 1, MaxInstances = 5, StartTimeout = TimeSpan.FromSeconds(60), DrainDelay = TimeSpan.FromSeconds(2),
        MinUptime = TimeSpan.FromSeconds(10), BackoffInitial = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromSeconds(60),
    };

    private static RunningInstance Running(string id, Uri address, double startedSecondsAgo) =>
        new(id, address, $"pid-{id}", Now.AddSeconds(-startedSecondsAgo));

    /// <summary>
    /// A pool of desired size 2: b-1 ready for long, b-2 (started 30 s ago) in <paramref name="state"/>; both run.
    /// Stopping is reached as it is in life: a drain whose delay is over, at the first tick (which also starts b-3 to
    /// make up the size, so that in the Stopping rows b-3 is already launching and nothing more starts).
    /// </summary>
    private static PoolTransitions PoolWithB2(MemberState state)
    {
        var transitions = new PoolTransitions("b", Options(), "process");
        var adopted = state == MemberState.Stopping ? MemberState.Draining : state;
        var b1 = Running("b-1", Address1, 1000);
        var b2 = Running("b-2", Address2, 30);
        var stored = new StoredPool(2, Version: 5, NextOrdinal: 3,
        [
            new StoredMember("b-1", Address1, b1.Handle, b1.StartedAt, MemberState.Ready, Now.AddSeconds(-900), 0),
            new StoredMember("b-2", Address2, b2.Handle, b2.StartedAt, adopted, Now.AddSeconds(state == MemberState.Stopping ? -10 : -1), 0),
        ]);
        transitions.Adopt(stored, [b1, b2], null, Now.AddSeconds(-1));
        if (state == MemberState.Stopping)
        {
            Assert.Contains("stop b-2", Words(transitions.Apply(new Tick(), Now.AddSeconds(-1))));
            transitions.Apply(new ListFinished([b1, b2], 2, null), Now.AddSeconds(-1));
        }
        Assert.Equal(state, transitions.State.Members["b-2"].State);
        return transitions;
    }

    private static PoolCommand Input(string input) => input switch
    {
        "healthy" => new VerdictReceived("b-2", true, "200 OK"),
        "unhealthy" => new VerdictReceived("b-2", false, "3 failed probes"),
        "exited" => new InstanceEnded(new InstanceExit("b-2", "exit code 137")),
        "stopped" => new StopFinished("b-2", "drained", null),
        "stop failed" => new StopFinished("b-2", "drained", new InvalidOperationException("docker said no")),
        "not listed" => new ListFinished([Running("b-1", Address1, 1000)], Sequence: 100, null),
        "tick" => new Tick(),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
    };

    /// <summary>Member state × input → b-2's state after it ("gone": no longer a member), and the effects in order.</summary>
    public static TheoryData<string, string, string, string> Table => new()
    {
        // A first healthy probe admits a starting instance; a probe brings an unhealthy one back; the rest ignore it.
        { "Starting", "healthy", "Ready", "Admitted, save" },
        { "Ready", "healthy", "Ready", "" },
        { "Unhealthy", "healthy", "Ready", "Recovered, save" },
        { "Draining", "healthy", "Draining", "start b-3: Starting" },
        { "Stopping", "healthy", "Stopping", "" },

        // Only a ready instance turns unhealthy: a replacement starts at once, and it stays until that one is ready.
        { "Starting", "unhealthy", "Starting", "" },
        { "Ready", "unhealthy", "Unhealthy", "Replacing unhealthy, save, start b-3: Starting" },
        { "Unhealthy", "unhealthy", "Unhealthy", "start b-3: Starting" },
        { "Draining", "unhealthy", "Draining", "start b-3: Starting" },
        { "Stopping", "unhealthy", "Stopping", "" },

        // An instance that ends by itself leaves and is replaced (a crash if it was not ready or ran too briefly);
        // one that ends while draining just leaves; one being stopped leaves when its stop finishes.
        { "Starting", "exited", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, BackedOff, HeldBack" },
        { "Ready", "exited", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, start b-3: Starting" },
        { "Unhealthy", "exited", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, BackedOff, HeldBack" },
        { "Draining", "exited", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Stopping", "exited", "Stopping", "" },

        // A finished stop removes the member whatever its state; a failed one puts it back to draining to try again.
        { "Starting", "stopped", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Ready", "stopped", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Unhealthy", "stopped", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Draining", "stopped", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Stopping", "stopped", "gone", "publish InstanceStopped, Left, publish PoolChanged, save" },
        { "Starting", "stop failed", "Draining", "StopFailed, save, start b-3: Starting" },
        { "Ready", "stop failed", "Draining", "StopFailed, save, start b-3: Starting" },
        { "Unhealthy", "stop failed", "Draining", "StopFailed, save, start b-3: Starting" },
        { "Draining", "stop failed", "Draining", "StopFailed, save, start b-3: Starting" },
        { "Stopping", "stop failed", "Draining", "StopFailed, save" },

        // A listing that no longer shows an instance is its exit.
        { "Starting", "not listed", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, BackedOff, HeldBack" },
        { "Ready", "not listed", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, start b-3: Starting" },
        { "Unhealthy", "not listed", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, Replacing exited, BackedOff, HeldBack" },
        { "Draining", "not listed", "gone", "publish InstanceStopped, Left, publish PoolChanged, save, start b-3: Starting" },
        { "Stopping", "not listed", "Stopping", "" },

        // A tick lists what runs, and the plan runs again.
        { "Starting", "tick", "Starting", "list" },
        { "Ready", "tick", "Ready", "list" },
        { "Unhealthy", "tick", "Unhealthy", "list, start b-3: Starting" },
        { "Draining", "tick", "Draining", "list, start b-3: Starting" },
        { "Stopping", "tick", "Stopping", "list" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_member_state_against_every_input(string state, string input, string after, string effects)
    {
        var transitions = PoolWithB2(Enum.Parse<MemberState>(state));

        var actual = transitions.Apply(Input(input), Now);

        Assert.Equal(effects, string.Join(", ", Words(actual)));
        Assert.Equal(after, transitions.State.Members.TryGetValue("b-2", out var member) ? member.State.ToString() : "gone");
        // b-1 is never touched by what happens to b-2.
        Assert.Equal(MemberState.Ready, transitions.State.Members["b-1"].State);
    }

    [Fact]
    public void Every_membership_change_takes_a_newer_version_and_publishes_it_in_the_member_s_event_and_the_snapshot()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        var before = transitions.State.Version;

        var effects = transitions.Apply(Input("exited"), Now);

        var stopped = Assert.Single(effects.OfType<Publish>().Select(p => p.Event).OfType<InstanceStopped>());
        var snapshot = Assert.Single(effects.OfType<Publish>().Select(p => p.Event).OfType<PoolChanged>());
        Assert.True(stopped.PoolVersion > before);
        Assert.Equal(stopped.PoolVersion, snapshot.Version);
        Assert.Equal(["b-1"], snapshot.Members.Select(m => m.InstanceId));
        Assert.Equal("ended by itself (exit code 137)", stopped.Reason);
        var saved = effects.OfType<Save>().Last().Pool;
        Assert.Equal(snapshot.Version, saved.Version);
        Assert.Equal(["b-1"], saved.Members.Select(m => m.InstanceId));
    }

    [Theory]
    [InlineData("unhealthy")]
    [InlineData("exited")]
    [InlineData("not listed")]
    public void A_replacement_starts_as_the_next_restart_of_the_instance_it_replaces(string input)
    {
        var transitions = PoolWithB2(MemberState.Ready);

        var start = Assert.Single(transitions.Apply(Input(input), Now).OfType<StartInstance>());

        Assert.Equal(("b-3", 3, 1), (start.Launch.InstanceId, start.Launch.Ordinal, start.Restarts));
    }

    [Fact]
    public void A_finished_start_joins_as_starting_with_the_restarts_it_replaces_and_is_announced()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        transitions.Apply(Input("exited"), Now);
        Assert.Equal(1, transitions.Launching);

        var effects = transitions.Apply(new StartFinished("b-3", 1, Running("b-3", new Uri("http://127.0.0.1:5003/"), 0), null), Now.AddSeconds(1));

        Assert.Equal("publish InstanceStarted, Started, publish PoolChanged, save", string.Join(", ", Words(effects)));
        Assert.Equal(0, transitions.Launching);
        var b3 = transitions.State.Members["b-3"];
        Assert.Equal((MemberState.Starting, 1), (b3.State, b3.Restarts));
        var snapshot = effects.OfType<Publish>().Select(p => p.Event).OfType<PoolChanged>().Single();
        Assert.False(snapshot.Members.Single(m => m.InstanceId == "b-3").Ready);
    }

    [Fact]
    public void A_failed_start_is_a_crash_its_restart_count_waits_for_the_next_start_and_the_start_waits_for_the_back_off()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        transitions.Apply(Input("exited"), Now);

        var effects = transitions.Apply(new StartFinished("b-3", 1, null, new InstanceDriverException("port taken")), Now.AddSeconds(1));

        Assert.Equal("StartFailed, BackedOff, HeldBack", string.Join(", ", Words(effects)));
        Assert.Equal(1, transitions.State.CrashStreak);
        Assert.Equal(Now.AddSeconds(2), transitions.State.BackoffUntil);

        // After the back-off the start goes ahead, as the replacement of one (the failed start's count).
        var later = transitions.Apply(new Tick(), Now.AddSeconds(2));
        var start = Assert.Single(later.OfType<StartInstance>());
        Assert.Equal(("b-4", 1), (start.Launch.InstanceId, start.Restarts));
    }

    [Fact]
    public void A_start_that_never_turns_healthy_is_stopped_as_a_failed_start_and_replaced()
    {
        var transitions = PoolWithB2(MemberState.Starting);

        var effects = transitions.Apply(new Tick(), Now.AddSeconds(-30 + 60));

        // The plan was made before the crash was counted: this replacement starts at once, the back-off holds the next.
        Assert.Equal("list, Replacing failed-start, BackedOff, save, stop b-2, start b-3: Starting", string.Join(", ", Words(effects)));
        Assert.Equal("not healthy 60 s after its start", effects.OfType<Replacing>().Single().Reason);
        Assert.Equal(MemberState.Stopping, transitions.State.Members["b-2"].State);
    }

    [Theory]
    [InlineData(4, 4, "Scaled, save, start b-3: Starting, start b-4: Starting")]
    [InlineData(9, 5, "Scaled, save, start b-3: Starting, start b-4: Starting, start b-5: Starting")]
    [InlineData(0, 1, "Scaled, save, publish InstanceDraining, Draining, publish PoolChanged, save")]
    [InlineData(2, 2, "")]
    public void A_scale_request_is_clamped_to_min_and_max_and_the_plan_follows(int asked, int desired, string effects)
    {
        var transitions = PoolWithB2(MemberState.Ready);

        var actual = transitions.Apply(new ScaleTo(asked, "load", "test"), Now);

        Assert.Equal(effects, string.Join(", ", Words(actual)));
        Assert.Equal(desired, transitions.State.Desired);
        if (asked != desired && actual.OfType<Scaled>().SingleOrDefault() is { } scaled)
        {
            Assert.Equal((2, desired, asked), (scaled.From, scaled.To, scaled.Asked));
        }
    }

    [Fact]
    public void Scaling_down_drains_the_newest_instance_and_stops_it_after_the_drain_delay()
    {
        var transitions = PoolWithB2(MemberState.Ready);

        var effects = transitions.Apply(new ScaleTo(1, "quiet", "autoscaler"), Now);
        var draining = effects.OfType<Publish>().Select(p => p.Event).OfType<InstanceDraining>().Single();
        Assert.Equal("b-2", draining.InstanceId);
        Assert.Equal(Now.AddSeconds(2 + 30), draining.DrainDeadline);

        Assert.DoesNotContain("stop b-2", Words(transitions.Apply(new Tick(), Now.AddSeconds(1.9))));
        transitions.Apply(new ListFinished([Running("b-1", Address1, 1000), Running("b-2", Address2, 30)], 100, null), Now.AddSeconds(1.9));
        Assert.Contains("stop b-2", Words(transitions.Apply(new Tick(), Now.AddSeconds(2))));
    }

    [Fact]
    public void Bounds_hold_the_desired_size_within_them_and_clear_lets_it_move_again()
    {
        var transitions = PoolWithB2(MemberState.Ready);

        var effects = transitions.Apply(new SetBounds(Floor: 3, Ceiling: null, Clear: false, "alice"), Now);
        Assert.Equal("BoundsSet, Scaled, save, save, start b-3: Starting", string.Join(", ", Words(effects)));
        Assert.Equal((3, (int?)3), (transitions.State.Desired, transitions.State.Floor));

        transitions.Apply(new ScaleTo(1, "quiet", "autoscaler"), Now);
        Assert.Equal(3, transitions.State.Desired);

        transitions.Apply(new SetBounds(null, null, Clear: true, "alice"), Now);
        transitions.Apply(new ScaleTo(1, "quiet", "autoscaler"), Now);
        Assert.Equal((1, (int?)null), (transitions.State.Desired, transitions.State.Floor));
    }

    [Fact]
    public void A_listing_shows_an_instance_started_by_someone_else_it_joins_and_as_the_surplus_not_yet_serving_it_is_drained_first()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        transitions.Apply(new Tick(), Now);

        var effects = transitions.Apply(new ListFinished(
            [Running("b-1", Address1, 1000), Running("b-2", Address2, 30), Running("b-pod-x", new Uri("http://10.0.0.9:8080/"), 1)], 2, null), Now);

        Assert.Equal("publish InstanceStarted, Found, publish PoolChanged, save, publish InstanceDraining, Draining, publish PoolChanged, save",
            string.Join(", ", Words(effects)));
        Assert.Equal(MemberState.Draining, transitions.State.Members["b-pod-x"].State);
        Assert.Equal(MemberState.Ready, transitions.State.Members["b-2"].State);
    }

    [Fact]
    public void A_listing_begun_before_a_member_left_does_not_take_that_member_back()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        Assert.Contains("list", Words(transitions.Apply(new Tick(), Now)));
        transitions.Apply(Input("stopped"), Now); // b-2 leaves while the listing runs

        var effects = transitions.Apply(new ListFinished([Running("b-1", Address1, 1000), Running("b-2", Address2, 30)], 2, null), Now);

        Assert.DoesNotContain("Found", Words(effects));
        Assert.False(transitions.State.Members.ContainsKey("b-2"));
    }

    [Fact]
    public void One_listing_at_a_time_and_a_failed_one_is_told_and_tried_again_at_the_next_tick()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        Assert.Equal("list", string.Join(", ", Words(transitions.Apply(new Tick(), Now))));
        Assert.Equal("", string.Join(", ", Words(transitions.Apply(new Tick(), Now))));

        Assert.Equal("ListFailed", string.Join(", ", Words(transitions.Apply(new ListFinished(null, 2, new IOException("docker.sock")), Now))));
        Assert.Equal("list", string.Join(", ", Words(transitions.Apply(new Tick(), Now))));
    }

    [Fact]
    public void A_snapshot_tick_publishes_the_members_that_may_get_traffic()
    {
        var transitions = PoolWithB2(MemberState.Draining);

        var effects = transitions.Apply(new SnapshotTick(), Now);

        var snapshot = effects.OfType<Publish>().Select(p => p.Event).OfType<PoolChanged>().First();
        Assert.Equal(["b-1"], snapshot.Members.Select(m => m.InstanceId));
        Assert.Equal(transitions.State.Version, snapshot.Version);
    }

    [Fact]
    public void Adoption_keeps_stored_members_that_run_announces_those_gone_and_takes_unknown_running_ones_as_ready()
    {
        var transitions = new PoolTransitions("b", Options(), "process");
        var b1 = Running("b-1", Address1, 1000);
        var stored = new StoredPool(3, Version: 5, NextOrdinal: 3,
        [
            new StoredMember("b-1", Address1, b1.Handle, b1.StartedAt, MemberState.Stopping, Now.AddSeconds(-900), 2),
            new StoredMember("b-2", Address2, "pid-gone", Now.AddSeconds(-100), MemberState.Ready, Now.AddSeconds(-90), 0),
        ], Floor: 2);

        var effects = transitions.Adopt(stored, [b1, Running("b-7", new Uri("http://127.0.0.1:5007/"), 10)], null, Now);

        Assert.Equal("publish InstanceStopped, Adopted, publish PoolChanged, save", string.Join(", ", Words(effects)));
        Assert.Equal("b-2", effects.OfType<Publish>().Select(p => p.Event).OfType<InstanceStopped>().Single().InstanceId);
        var state = transitions.State;
        Assert.Equal((3, (int?)2, 8), (state.Desired, state.Floor, state.NextOrdinal));
        Assert.Equal((MemberState.Draining, Now, 2), (state.Members["b-1"].State, state.Members["b-1"].Since, state.Members["b-1"].Restarts));
        Assert.Equal(MemberState.Ready, state.Members["b-7"].State);
        Assert.True(state.Version >= Now.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Adoption_without_a_store_or_a_listing_starts_from_the_configuration_and_says_the_listing_failed()
    {
        var transitions = new PoolTransitions("b", Options(), "docker");

        var effects = transitions.Adopt(null, null, new IOException("docker.sock"), Now);

        Assert.Equal("ListFailed, Adopted, publish PoolChanged, save", string.Join(", ", Words(effects)));
        Assert.Equal("configuration", effects.OfType<Adopted>().Single().Source);
        Assert.Equal(2, transitions.State.Desired);
        Assert.Equal("start b-1: Starting, start b-2: Starting", string.Join(", ", Words(transitions.Apply(new Tick(), Now)).Where(w => w != "list")));
    }

    [Fact]
    public void A_crash_loop_is_over_when_an_instance_started_after_the_last_crash_has_stayed_ready_for_the_minimum_uptime()
    {
        var transitions = PoolWithB2(MemberState.Ready);
        transitions.Apply(new InstanceEnded(new InstanceExit("b-1", "exit code 1")), Now); // ready for 1000 s: no crash
        Assert.Equal(0, transitions.State.CrashStreak);
        transitions.Apply(new StartFinished("b-3", 1, null, new InstanceDriverException("port taken")), Now);
        Assert.Equal(1, transitions.State.CrashStreak);
        transitions.Apply(new Tick(), Now.AddSeconds(1));
        transitions.Apply(new StartFinished("b-4", 1, Running("b-4", new Uri("http://127.0.0.1:5004/"), -1), null), Now.AddSeconds(1));
        transitions.Apply(new VerdictReceived("b-4", true, "200"), Now.AddSeconds(2));

        Assert.DoesNotContain("CrashLoopOver", Words(transitions.Apply(new SnapshotTick(), Now.AddSeconds(11.9))));
        Assert.Equal("publish PoolChanged, CrashLoopOver", string.Join(", ", Words(transitions.Apply(new SnapshotTick(), Now.AddSeconds(12)))));
        Assert.Equal((0, (DateTimeOffset?)null), (transitions.State.CrashStreak, transitions.State.BackoffUntil));
    }

    /// <summary>Effects as short words: the driver's work with its instance, events by type, facts by name.</summary>
    private static IEnumerable<string> Words(IReadOnlyList<PoolEffect> effects)
    {
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case StartInstance start:
                    yield return $"start {start.Launch.InstanceId}: " + (effects[i - 1] is Starting ? "Starting" : "?");
                    break;
                case Starting when i + 1 < effects.Count && effects[i + 1] is StartInstance:
                case Save when i + 1 < effects.Count && effects[i + 1] is Starting:
                    break; // said with the start that follows (a start saves its ordinal first)
                case StopInstance stop:
                    yield return $"stop {stop.Instance.InstanceId}";
                    break;
                case ListInstances:
                    yield return "list";
                    break;
                case Publish publish:
                    yield return $"publish {publish.Event.GetType().Name}";
                    break;
                case Save:
                    yield return "save";
                    break;
                case Replacing replacing:
                    yield return $"Replacing {replacing.Cause}";
                    break;
                default:
                    yield return effects[i].GetType().Name;
                    break;
            }
        }
    }
}
