using StarGuide.Scaler.Autoscaling;

namespace StarGuide.Scaler.Tests.Autoscaling;

/// <summary>The autoscaling rules on a fake clock, one rule per test; each fails when its rule is taken out.</summary>
public sealed class AutoscaleEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static AutoscalingOptions Options(Action<AutoscalingOptions>? change = null)
    {
        var options = new AutoscalingOptions { Enabled = true, CpuPercent = 80 };
        change?.Invoke(options);
        return options;
    }

    private static SignalReading Cpu(double percent, DateTimeOffset at, bool complete = true) =>
        new(SignalNames.Cpu, percent, 80, complete, at);

    private static AutoscaleInput Input(int desired, int ready, params SignalReading[] readings) =>
        new(desired, ready, Min: 1, Max: 10, readings);

    /// <summary>
    /// Feeds one reading a second from <paramref name="from"/> for <paramref name="seconds"/> s; returns the last thing
    /// that held a change back (null: none) and the pool's size at the end.
    /// </summary>
    private static (string? HeldBack, int Desired) Run(AutoscaleEngine engine, int desired, DateTimeOffset from, int seconds, Func<int, double> cpu)
    {
        string? heldBack = null;
        for (var s = 0; s < seconds; s++)
        {
            var now = from.AddSeconds(s);
            var decision = engine.Evaluate(Input(desired, desired, Cpu(cpu(s), now)), now);
            heldBack = decision.HeldBack ?? heldBack;
            desired = decision.Desired;
        }
        return (heldBack, desired);
    }

    [Fact]
    public void Load_within_the_tolerance_band_changes_nothing()
    {
        var engine = new AutoscaleEngine(Options());

        var (_, desired) = Run(engine, 2, T0, 30, _ => 87);

        Assert.Equal(2, desired);
    }

    [Fact]
    public void Load_above_target_scales_up_at_once_to_ready_times_observed_over_target()
    {
        var engine = new AutoscaleEngine(Options());

        var decision = engine.Evaluate(Input(2, 2, Cpu(130, T0)), T0);

        Assert.Equal(ScaleDirection.Up, decision.Direction);
        Assert.Equal(4, decision.Desired); // ceil(2 × 130 / 80) = ceil(3.25)
        Assert.Contains("cpu 130 per instance, target 80", decision.Reason);
    }

    [Fact]
    public void Scale_up_is_rate_limited_to_plus_100_percent_or_plus_4_per_15_s()
    {
        var engine = new AutoscaleEngine(Options(o => o.PanicThreshold = 1000));

        var first = engine.Evaluate(new AutoscaleInput(2, 2, 1, 30, [Cpu(800, T0)]), T0);
        var soon = engine.Evaluate(new AutoscaleInput(6, 2, 1, 30, [Cpu(800, T0.AddSeconds(5))]), T0.AddSeconds(5));
        var later = engine.Evaluate(new AutoscaleInput(6, 6, 1, 30, [Cpu(800, T0.AddSeconds(16))]), T0.AddSeconds(16));

        Assert.Equal(6, first.Desired); // wanted 20; max(2 × 2, 2 + 4) = 6
        Assert.Equal(6, soon.Desired);
        Assert.Contains("rate limit", soon.HeldBack);
        Assert.Equal(ReasonKinds.RateLimit, soon.Kind);
        Assert.Equal(12, later.Desired); // the 15 s period has passed: max(6 × 2, 6 + 4)
    }

    [Fact]
    public void Scale_down_waits_for_the_window_then_removes_one_instance_per_minute()
    {
        var engine = new AutoscaleEngine(Options());
        Run(engine, 4, T0, 10, _ => 80);

        var (early, atWindow) = Run(engine, 4, T0.AddSeconds(10), 50, _ => 10);
        Assert.Equal(4, atWindow);
        Assert.Contains("scale-down window", early);

        // The last high recommendation was made at the check of T0+10 s (its 5 s average still held the load).
        var (_, afterWindow) = Run(engine, 4, T0.AddSeconds(60), 20, _ => 10);
        Assert.Equal(3, afterWindow);
        var (limited, stillThree) = Run(engine, 3, T0.AddSeconds(80), 40, _ => 10);
        Assert.Equal(3, stillThree);
        Assert.Contains("rate limit", limited);
        var (_, two) = Run(engine, 3, T0.AddSeconds(120), 30, _ => 10);
        Assert.Equal(2, two);
    }

    [Fact]
    public void A_new_engine_scales_down_only_after_watching_for_a_whole_window()
    {
        // As after a scaler restart: an idle pool, and no history.
        var engine = new AutoscaleEngine(Options());

        var (early, beforeWindow) = Run(engine, 4, T0, 59, _ => 5);
        var (_, afterWindow) = Run(engine, 4, T0.AddSeconds(59), 10, _ => 5);

        Assert.Equal(4, beforeWindow);
        Assert.Contains("watching for", early);
        Assert.Equal(3, afterWindow);
    }

    [Fact]
    public void No_readings_never_scale_down()
    {
        var engine = new AutoscaleEngine(Options());

        var decision = engine.Evaluate(Input(3, 3), T0);

        Assert.Equal(3, decision.Desired);
        Assert.Contains("no fresh readings", decision.HeldBack);
        Assert.Equal(ReasonKinds.NoReadings, decision.Kind);
    }

    // Each row would change the pool were the reading fresh (the control shows that it does): 150 of a target of 80
    // asks for ceil(3 × 1.875) = 6, and 5 (with no scale-down window, so that "watched a whole window" holds nothing
    // back) for 1, one instance a minute, so 2. MaxSignalAge is 10 s; the stale reading is 11 s old.
    [Theory]
    [InlineData(150, 6)]
    [InlineData(5, 2)]
    public void A_stale_reading_is_ignored(double cpu, int freshDesired)
    {
        var stale = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));
        var fresh = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        var decision = stale.Evaluate(Input(3, 3, Cpu(cpu, T0.AddSeconds(-11))), T0);
        var control = fresh.Evaluate(Input(3, 3, Cpu(cpu, T0.AddSeconds(-1))), T0);

        Assert.Equal(freshDesired, control.Desired);
        Assert.Equal(3, decision.Desired);
        Assert.Equal(ScaleDirection.None, decision.Direction);
        Assert.Contains("no fresh readings", decision.HeldBack);
    }

    [Fact]
    public void A_partial_reading_may_scale_up_but_never_down()
    {
        var down = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));
        var up = new AutoscaleEngine(Options());

        var (_, afterLow) = Run(down, 3, T0, 90, _ => 5);
        var partialLow = down.Evaluate(Input(3, 3, Cpu(5, T0.AddSeconds(200), complete: false)), T0.AddSeconds(200));
        var partialHigh = up.Evaluate(Input(2, 2, Cpu(200, T0, complete: false)), T0);

        Assert.True(afterLow < 3, "a complete low reading must be able to scale down (control)");
        Assert.Equal(3, partialLow.Desired);
        Assert.Equal(5, partialHigh.Desired);
    }

    [Fact]
    public void Instances_still_starting_are_not_capacity_and_no_scale_down_happens_on_load_above_target()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        // Four desired, two ready and loaded at 1.5× target: the two starting ones cover the demand of three.
        var decision = engine.Evaluate(Input(4, 2, Cpu(120, T0)), T0);

        Assert.Equal(4, decision.Desired);
    }

    [Fact]
    public void The_highest_recommendation_among_several_signals_wins()
    {
        var engine = new AutoscaleEngine(Options(o => o.InFlight = 10));

        var decision = engine.Evaluate(Input(2, 2, Cpu(40, T0), new SignalReading(SignalNames.InFlight, 25, 10, true, T0)), T0);

        Assert.Equal(5, decision.Desired); // in-flight: ceil(2 × 2.5); CPU alone would say 1
        Assert.Contains("inflight", decision.Reason);
    }

    [Fact]
    public void Decisions_are_made_once_per_check_interval()
    {
        var engine = new AutoscaleEngine(Options(o => o.PanicThreshold = 1000));
        engine.Evaluate(Input(2, 2, Cpu(80, T0)), T0);

        var between = engine.Evaluate(Input(2, 2, Cpu(150, T0.AddSeconds(1))), T0.AddSeconds(1));
        var atCheck = engine.Evaluate(Input(2, 2, Cpu(150, T0.AddSeconds(5))), T0.AddSeconds(5));

        Assert.Equal(2, between.Desired);
        Assert.Equal(ScaleDirection.Up, atCheck.Direction);
    }

    [Fact]
    public void A_burst_at_twice_capacity_scales_up_between_checks_and_holds_scale_down_off()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.FromSeconds(20)));
        engine.Evaluate(Input(2, 2, Cpu(80, T0)), T0);
        engine.Evaluate(Input(2, 2, Cpu(300, T0.AddSeconds(1))), T0.AddSeconds(1));

        var burst = engine.Evaluate(Input(2, 2, Cpu(300, T0.AddSeconds(2))), T0.AddSeconds(2));
        Assert.Equal(ScaleDirection.Up, burst.Direction);
        Assert.Contains("burst", burst.Reason);
        Assert.Equal(ReasonKinds.Burst, burst.Kind);
        Assert.True(engine.InPanic(T0.AddSeconds(3)));

        // Load gone and the recommendation window passed, but the last burst was less than 20 s ago.
        var held = engine.Evaluate(Input(burst.Desired, burst.Desired, Cpu(5, T0.AddSeconds(21))), T0.AddSeconds(21));
        Assert.Equal(burst.Desired, held.Desired);
        Assert.Contains("after the last burst", held.HeldBack);
        Assert.Equal(ReasonKinds.AfterBurst, held.Kind);
    }

    [Fact]
    public void Every_size_is_clamped_to_the_pool_bounds_and_an_operator_floor_moves_the_pool_at_once()
    {
        var engine = new AutoscaleEngine(Options());

        var capped = engine.Evaluate(new AutoscaleInput(2, 2, 1, 3, [Cpu(800, T0)]), T0);
        var floor = engine.Evaluate(new AutoscaleInput(3, 3, 4, 5, [Cpu(80, T0.AddSeconds(1))]), T0.AddSeconds(1));

        Assert.Equal(3, capped.Desired);
        Assert.Equal(4, floor.Desired);
        Assert.Contains("floor", floor.Reason);
        Assert.Equal(ReasonKinds.Bounds, floor.Kind);
    }

    [Fact]
    public void A_square_wave_load_moves_the_pool_up_once_and_never_back_while_the_seed_rule_flaps()
    {
        // 60 s period: 30 s at 1.6× target, 30 s at 0.25×, for 5 minutes.
        static double Wave(int s) => s % 60 < 30 ? 128 : 20;
        var proportional = new AutoscaleEngine(Options());
        var seed = new AutoscaleEngine(Options(o => { o.Policy = AutoscalePolicies.Threshold; o.CheckInterval = TimeSpan.FromSeconds(10); }));

        var changes = new[] { proportional, seed }.Select(engine =>
        {
            var desired = 2;
            var directions = new List<ScaleDirection>();
            for (var s = 0; s < 300; s++)
            {
                var decision = engine.Evaluate(Input(desired, desired, Cpu(Wave(s), T0.AddSeconds(s))), T0.AddSeconds(s));
                if (decision.Direction != ScaleDirection.None && (directions.Count == 0 || directions[^1] != decision.Direction))
                {
                    directions.Add(decision.Direction);
                }
                desired = decision.Desired;
            }
            return directions.Count - 1;
        }).ToList();

        Assert.True(changes[0] <= 1, $"proportional changed direction {changes[0]} times");
        Assert.True(changes[1] >= 4, $"the seed's rule changed direction only {changes[1]} times");
    }
}
