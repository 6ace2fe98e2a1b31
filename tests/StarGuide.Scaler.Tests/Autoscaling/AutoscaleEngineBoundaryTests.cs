using StarGuide.Scaler.Autoscaling;

namespace StarGuide.Scaler.Tests.Autoscaling;

/// <summary>
/// The autoscaling rules at their edges (found by mutation testing, docs/mutation-testing.md): the exact instant a
/// window, a period or a reading's age is over, a load exactly at a threshold, and what a decision says when it holds.
/// The held-back texts are pinned because operators read them (log, status page) and their first words are the
/// <c>held_back</c> metric's kind.
/// </summary>
public sealed class AutoscaleEngineBoundaryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static AutoscalingOptions Options(Action<AutoscalingOptions>? change = null)
    {
        var options = new AutoscalingOptions { Enabled = true, CpuPercent = 80 };
        change?.Invoke(options);
        return options;
    }

    private static AutoscalingOptions Threshold(Action<AutoscalingOptions>? change = null) =>
        Options(o => { o.Policy = AutoscalePolicies.Threshold; change?.Invoke(o); });

    private static SignalReading Cpu(double percent, DateTimeOffset at, bool complete = true) =>
        new(SignalNames.Cpu, percent, 80, complete, at);

    private static AutoscaleInput Input(int desired, int ready, params SignalReading[] readings) =>
        new(desired, ready, Min: 1, Max: 10, readings);

    /// <summary>One fully reported CPU reading at <paramref name="at"/> for a pool whose instances are all ready.</summary>
    private static AutoscaleDecision Step(AutoscaleEngine engine, int desired, DateTimeOffset at, double cpu) =>
        engine.Evaluate(Input(desired, desired, Cpu(cpu, at)), at);

    /// <summary>A reading every 5 s (one per check) from T0 to <paramref name="lastSecond"/>; the decision at each second.</summary>
    private static Dictionary<int, AutoscaleDecision> EveryCheck(AutoscaleEngine engine, int desired, int lastSecond, Func<int, double> cpu)
    {
        var decisions = new Dictionary<int, AutoscaleDecision>();
        for (var s = 0; s <= lastSecond; s += 5)
        {
            var decision = Step(engine, desired, T0.AddSeconds(s), cpu(s));
            decisions[s] = decision;
            desired = decision.Desired;
        }
        return decisions;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public void A_pool_on_target_holds_without_anything_held_back_also_at_its_bounds(int desired)
    {
        var decision = Step(new AutoscaleEngine(Options()), desired, T0, 80);

        Assert.Equal(desired, decision.Desired);
        Assert.Equal(ScaleDirection.None, decision.Direction);
        Assert.Equal("cpu 80 per instance, target 80 (100 %)", decision.Reason);
        Assert.Null(decision.HeldBack);
    }

    [Theory]
    [InlineData(100)] // 1.25 × target
    [InlineData(60)] // 0.75 × target
    public void A_load_exactly_at_the_edge_of_the_tolerance_band_changes_nothing(double cpu)
    {
        var engine = new AutoscaleEngine(Options(o => o.Tolerance = 0.25));

        var decision = Step(engine, 4, T0, cpu);

        Assert.Equal(ScaleDirection.None, decision.Direction);
        Assert.Null(decision.HeldBack);
    }

    [Fact]
    public void A_scale_up_says_the_load_and_its_ratio_and_what_the_rate_limit_cut()
    {
        var plain = Step(new AutoscaleEngine(Options()), 2, T0, 130);
        var limited = Step(new AutoscaleEngine(Options(o => o.PanicThreshold = 1000)), 2, T0, 800);

        Assert.Equal("cpu 130 per instance, target 80 (162.5 %)", plain.Reason);
        Assert.Equal(6, limited.Desired);
        Assert.Equal("cpu 800 per instance, target 80 (1000 %); wanted 20, limited to 6", limited.Reason);
    }

    [Fact]
    public void A_reason_rounds_its_values_to_one_decimal()
    {
        var decision = Step(new AutoscaleEngine(Options()), 2, T0, 130.26);

        Assert.Equal("cpu 130.3 per instance, target 80 (162.8 %)", decision.Reason);
    }

    [Fact]
    public void An_operator_ceiling_moves_the_pool_down_at_once_and_says_the_bounds()
    {
        var decision = new AutoscaleEngine(Options()).Evaluate(new AutoscaleInput(6, 6, 1, 4, [Cpu(80, T0)]), T0);

        Assert.Equal(4, decision.Desired);
        Assert.Equal(ScaleDirection.Down, decision.Direction);
        Assert.Equal("outside 1..4 (the pool's bounds and any operator floor or ceiling)", decision.Reason);
    }

    [Fact]
    public void The_check_averages_every_reading_of_its_interval_including_one_exactly_an_interval_old()
    {
        // Every window shorter than the check interval, so the engine keeps readings no longer than that interval.
        var engine = new AutoscaleEngine(Options(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(10);
            o.ScaleDownWindow = TimeSpan.Zero;
            o.ScaleUpPeriod = o.ScaleDownPeriod = TimeSpan.FromSeconds(1);
        }));
        Step(engine, 2, T0, 80);

        var decision = Step(engine, 2, T0.AddSeconds(10), 160);

        Assert.Equal(3, decision.Desired); // ceil(2 × avg(80, 160) / 80); the last reading alone would make it 4
    }

    [Fact]
    public void Two_signals_recommending_the_same_size_are_reported_by_the_first_one()
    {
        var engine = new AutoscaleEngine(Options(o => o.RequestsPerSecond = 10));

        var decision = engine.Evaluate(Input(2, 2, Cpu(120, T0), new SignalReading(SignalNames.RequestsPerSecond, 13, 10, true, T0)), T0);

        Assert.Equal(3, decision.Desired); // ceil(2 × 1.5) and ceil(2 × 1.3)
        Assert.StartsWith("cpu 120 per instance", decision.Reason);
    }

    [Fact]
    public void Load_below_target_counts_instances_not_ready_yet_at_the_target()
    {
        var engine = new AutoscaleEngine(Options(o => { o.ScaleDownWindow = TimeSpan.Zero; o.ScaleDownInstances = 10; }));

        // Four desired, two ready at half the target: their load is one instance's worth, plus the two not ready yet.
        var decision = engine.Evaluate(Input(4, 2, Cpu(40, T0)), T0);

        Assert.Equal(3, decision.Desired);
    }

    [Fact]
    public void An_idle_pool_scales_down()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        var decision = Step(engine, 2, T0, 0);

        Assert.Equal(1, decision.Desired);
        Assert.Equal("cpu 0 per instance, target 80 (0 %)", decision.Reason);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10.001, 2)] // stale: never a scale-down
    public void A_reading_exactly_the_maximum_age_old_is_still_fresh(double secondsOld, int expected)
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        var decision = engine.Evaluate(Input(2, 2, Cpu(20, T0.AddSeconds(-secondsOld))), T0);

        Assert.Equal(expected, decision.Desired);
    }

    [Fact]
    public void No_readings_hold_and_say_so_also_between_checks()
    {
        var engine = new AutoscaleEngine(Options());

        var atCheck = engine.Evaluate(Input(3, 3), T0);
        var between = engine.Evaluate(Input(3, 3), T0.AddSeconds(1));

        Assert.Equal("no fresh readings", atCheck.Reason);
        Assert.Equal("no fresh readings: never a scale-down without them", atCheck.HeldBack);
        Assert.Equal(3, between.Desired);
        Assert.False(engine.InPanic(T0.AddSeconds(1)));
    }

    [Fact]
    public void A_signal_left_out_of_earlier_readings_is_averaged_over_the_readings_that_have_it()
    {
        // No gateway report at T0 (the rps signal left out), one at +5 s.
        var engine = new AutoscaleEngine(Options(o => { o.RequestsPerSecond = 10; o.ScaleDownWindow = TimeSpan.Zero; }));
        engine.Evaluate(Input(4, 4, Cpu(80, T0)), T0);

        var decision = engine.Evaluate(Input(4, 4, new SignalReading(SignalNames.RequestsPerSecond, 4, 10, true, T0.AddSeconds(5))), T0.AddSeconds(5));

        Assert.Equal(3, decision.Desired); // rps at 0.4 × target: ceil(4 × 0.4) = 2, at most one instance down
    }

    [Fact]
    public void No_ready_instance_means_nothing_to_measure_and_no_burst()
    {
        var engine = new AutoscaleEngine(Options());

        var atCheck = engine.Evaluate(Input(2, 0, Cpu(300, T0)), T0);
        engine.Evaluate(Input(2, 0, Cpu(300, T0.AddSeconds(1))), T0.AddSeconds(1));

        Assert.Equal(2, atCheck.Desired);
        Assert.Equal("no ready instance to measure", atCheck.Reason);
        Assert.False(engine.InPanic(T0.AddSeconds(1)));
    }

    [Fact]
    public void A_reading_not_reported_by_every_instance_earlier_in_the_check_interval_holds_scale_down_off()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        var partial = engine.Evaluate(Input(2, 2, Cpu(20, T0, complete: false)), T0);
        var intervalLater = Step(engine, 2, T0.AddSeconds(5), 20);
        var next = Step(engine, 2, T0.AddSeconds(10), 20);

        Assert.Equal(2, partial.Desired);
        Assert.Equal(2, intervalLater.Desired); // the partial reading of T0 is still in its 5 s interval
        Assert.Equal(1, next.Desired);
    }

    [Fact]
    public void A_scale_up_window_scales_up_only_to_its_lowest_recommendation()
    {
        var engine = new AutoscaleEngine(Options(o => { o.ScaleUpWindow = TimeSpan.FromSeconds(10); o.PanicThreshold = 1000; }));

        var decisions = EveryCheck(engine, 2, 15, s => s == 0 ? 80 : 160);

        // Recommendations: 2 at T0, 3 at +5 s (average of 80 and 160), 4 at +10 s and +15 s.
        Assert.Equal(2, decisions[5].Desired);
        Assert.Equal(2, decisions[10].Desired); // the 2 of T0 is exactly 10 s old: still in the window
        Assert.Equal("scale-up window: lowest recommendation of the last 10 s is 2", decisions[10].HeldBack);
        Assert.Equal(3, decisions[15].Desired);
        Assert.Equal(ScaleDirection.Up, decisions[15].Direction);
    }

    [Fact]
    public void Without_a_scale_up_window_a_check_scales_up_on_its_own_recommendation_even_when_a_burst_wanted_less()
    {
        // Eight instances still starting; the longer panic window still holds the quiet reading of T0.
        var engine = new AutoscaleEngine(Options(o => o.PanicWindow = TimeSpan.FromSeconds(10)));
        AutoscaleDecision Evaluate(int second, double cpu) =>
            engine.Evaluate(new AutoscaleInput(10, 2, 1, 20, [Cpu(cpu, T0.AddSeconds(second))]), T0.AddSeconds(second));

        Evaluate(0, 0);
        Evaluate(5, 600);
        var decision = Evaluate(10, 600); // burst: ceil(2 × 400 / 80) = 10; check: ceil(2 × 600 / 80) = 15

        Assert.Equal(15, decision.Desired);
        Assert.DoesNotContain("burst", decision.Reason);
    }

    [Fact]
    public void A_scale_up_at_the_maximum_is_held_back_by_the_maximum()
    {
        var decision = Step(new AutoscaleEngine(Options()), 10, T0, 160);

        Assert.Equal(10, decision.Desired);
        Assert.Equal("at the maximum (10)", decision.HeldBack);
    }

    [Fact]
    public void The_scale_up_rate_limit_counts_a_size_exactly_one_period_old()
    {
        var engine = new AutoscaleEngine(Options(o => o.PanicThreshold = 1000));
        engine.Evaluate(new AutoscaleInput(2, 2, 1, 30, [Cpu(800, T0)]), T0);

        var atPeriod = engine.Evaluate(new AutoscaleInput(6, 6, 1, 30, [Cpu(800, T0.AddSeconds(15))]), T0.AddSeconds(15));

        Assert.Equal(6, atPeriod.Desired);
        Assert.Equal("rate limit: at most 6 within 15 s of 2", atPeriod.HeldBack);
    }

    [Fact]
    public void A_new_engine_scales_down_at_the_instant_it_has_watched_for_a_whole_window()
    {
        var decisions = EveryCheck(new AutoscaleEngine(Options()), 4, 60, _ => 5);

        Assert.Equal(4, decisions[55].Desired);
        Assert.Equal("scale-down window: watching for 55 s of 60 s", decisions[55].HeldBack);
        Assert.Equal(ReasonKinds.ScaleDownWindow, decisions[55].Kind);
        Assert.Equal(3, decisions[60].Desired);
        Assert.Equal(ScaleDirection.Down, decisions[60].Direction);
    }

    [Fact]
    public void A_recommendation_exactly_one_scale_down_window_old_still_holds_the_size()
    {
        // 4 recommended at T0 only; the check of +5 s averages 80 and 5 (3), after that 1.
        var decisions = EveryCheck(new AutoscaleEngine(Options()), 4, 65, s => s == 0 ? 80 : 5);

        Assert.Equal(4, decisions[60].Desired);
        Assert.Equal("scale-down window: highest recommendation of the last 60 s is 4", decisions[60].HeldBack);
        Assert.Equal(3, decisions[65].Desired);
    }

    [Fact]
    public void A_removal_exactly_one_scale_down_period_old_still_counts_against_the_rate()
    {
        var decisions = EveryCheck(new AutoscaleEngine(Options()), 4, 125, _ => 5);

        Assert.Equal(3, decisions[60].Desired);
        Assert.Equal(3, decisions[120].Desired);
        Assert.Equal("rate limit: 1 instance(s) already removed within 60 s", decisions[120].HeldBack);
        Assert.Equal(2, decisions[125].Desired);
    }

    [Fact]
    public void A_removal_counts_against_the_rate_even_when_an_operator_scaled_the_pool_up_since()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));
        var down = Step(engine, 4, T0, 5);

        var afterOperator = Step(engine, 5, T0.AddSeconds(5), 5); // an operator asked for 5 in between

        Assert.Equal(3, down.Desired);
        Assert.Equal(5, afterOperator.Desired);
        Assert.Equal("rate limit: 1 instance(s) already removed within 60 s", afterOperator.HeldBack);
    }

    [Fact]
    public void A_pool_at_its_minimum_holds_at_the_minimum_on_low_load()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.Zero));

        var decision = engine.Evaluate(new AutoscaleInput(2, 2, 2, 10, [Cpu(5, T0)]), T0);

        Assert.Equal(ScaleDirection.None, decision.Direction);
        Assert.Equal(2, decision.Desired);
        Assert.Equal("at the minimum (2)", decision.HeldBack);
    }

    [Fact]
    public void A_burst_counts_a_reading_exactly_one_panic_window_old_and_holds_scale_down_off_for_exactly_a_window()
    {
        // Checks 10 s apart, so that the reading of +6 s is looked at only for a burst.
        var engine = new AutoscaleEngine(Options(o => o.CheckInterval = TimeSpan.FromSeconds(10)));
        Step(engine, 2, T0, 80);

        var burst = Step(engine, 2, T0.AddSeconds(6), 300); // average of 80 and 300: 2.375 × target

        Assert.Equal(5, burst.Desired); // ceil(2 × 2.375)
        Assert.Equal("burst: cpu at 2.38× target over the last 6 s", burst.Reason);
        Assert.True(engine.InPanic(T0.AddSeconds(65.999)));
        Assert.False(engine.InPanic(T0.AddSeconds(66)));
    }

    [Fact]
    public void One_reading_alone_in_the_panic_window_is_not_a_burst()
    {
        var engine = new AutoscaleEngine(Options(o => o.CheckInterval = TimeSpan.FromSeconds(10)));
        Step(engine, 2, T0, 80);

        var spike = Step(engine, 2, T0.AddSeconds(7), 300); // the reading of T0 is 7 s old: out of the 6 s window
        var second = Step(engine, 2, T0.AddSeconds(8), 300);

        Assert.Equal(2, spike.Desired);
        Assert.Equal(6, second.Desired);
        Assert.StartsWith("burst", second.Reason);
    }

    [Fact]
    public void A_bursts_recommendation_holds_scale_down_off_to_the_instant_the_burst_is_a_window_old()
    {
        var engine = new AutoscaleEngine(Options(o => o.ScaleDownWindow = TimeSpan.FromSeconds(20)));
        Step(engine, 2, T0, 80);
        var burst = Step(engine, 2, T0.AddSeconds(1), 400); // 3 × target: 6

        var panicOver = Step(engine, 6, T0.AddSeconds(21), 5);
        var later = Step(engine, 6, T0.AddSeconds(26), 5);

        Assert.Equal(6, burst.Desired);
        Assert.Equal(6, panicOver.Desired);
        Assert.Equal("scale-down window: highest recommendation of the last 20 s is 6", panicOver.HeldBack);
        Assert.Equal(5, later.Desired);
    }

    [Theory]
    [InlineData(240, 4)] // average 2 × target: a burst, ceil(2 × 2)
    [InlineData(239, 2)] // just below: waits for the next check
    public void A_burst_starts_at_exactly_the_panic_threshold(double cpu, int expected)
    {
        var engine = new AutoscaleEngine(Options());
        Step(engine, 2, T0, 80);

        var decision = Step(engine, 2, T0.AddSeconds(1), cpu);

        Assert.Equal(expected, decision.Desired);
    }

    [Fact]
    public void A_burst_on_any_one_signal_scales_up()
    {
        var engine = new AutoscaleEngine(Options(o => o.InFlight = 10));
        engine.Evaluate(Input(2, 2, Cpu(80, T0), new SignalReading(SignalNames.InFlight, 10, 10, true, T0)), T0);

        var decision = engine.Evaluate(
            Input(2, 2, Cpu(80, T0.AddSeconds(1)), new SignalReading(SignalNames.InFlight, 50, 10, true, T0.AddSeconds(1))), T0.AddSeconds(1));

        Assert.Equal(6, decision.Desired); // in-flight at 3 × target: ceil(2 × 3)
        Assert.StartsWith("burst: inflight at 3.00×", decision.Reason);
    }

    [Fact]
    public void A_burst_the_pool_already_covers_changes_nothing_but_still_holds_scale_down_off()
    {
        var engine = new AutoscaleEngine(Options());
        engine.Evaluate(Input(5, 2, Cpu(80, T0)), T0);

        var decision = engine.Evaluate(Input(5, 2, Cpu(320, T0.AddSeconds(1))), T0.AddSeconds(1)); // ceil(2 × 2.5) = 5

        Assert.Equal(5, decision.Desired);
        Assert.Equal("between checks", decision.Reason);
        Assert.Null(decision.HeldBack);
        Assert.True(engine.InPanic(T0.AddSeconds(1)));
    }

    [Fact]
    public void The_threshold_policy_has_no_burst_reaction()
    {
        var engine = new AutoscaleEngine(Threshold(o => o.CheckInterval = TimeSpan.FromSeconds(10)));
        var first = Step(engine, 2, T0, 300);

        var between = Step(engine, first.Desired, T0.AddSeconds(1), 300);

        Assert.Equal(3, first.Desired);
        Assert.Equal(3, between.Desired);
        Assert.Equal("between checks", between.Reason);
    }

    [Theory]
    [InlineData(2, 80, true, 2)] // exactly the up threshold
    [InlineData(2, 80.5, true, 3)]
    [InlineData(2, 30, true, 2)] // exactly the down threshold
    [InlineData(2, 29.5, true, 1)]
    [InlineData(2, 10, false, 2)] // partial: never down
    [InlineData(10, 90, true, 10)] // at the maximum
    [InlineData(1, 10, true, 1)] // at the minimum
    public void The_threshold_policy_moves_one_instance_strictly_beyond_its_thresholds_within_the_bounds(int desired, double cpu, bool complete, int expected)
    {
        var engine = new AutoscaleEngine(Threshold());

        var decision = engine.Evaluate(Input(desired, desired, Cpu(cpu, T0, complete)), T0);

        Assert.Equal(expected, decision.Desired);
    }

    [Fact]
    public void The_threshold_policy_says_its_thresholds()
    {
        var decision = Step(new AutoscaleEngine(Threshold()), 2, T0, 90);

        Assert.Equal("cpu 90 % (up above 80, down below 30)", decision.Reason);
    }

    [Fact]
    public void The_threshold_policy_averages_its_check_interval_including_a_reading_exactly_an_interval_old()
    {
        var engine = new AutoscaleEngine(Threshold());
        Step(engine, 2, T0, 50);

        var atCheck = Step(engine, 2, T0.AddSeconds(5), 100); // average 75: below 80
        var next = Step(engine, 2, T0.AddSeconds(10), 100);

        Assert.Equal(2, atCheck.Desired);
        Assert.Equal(3, next.Desired);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10.001, 2)] // stale: never a scale-down
    public void The_threshold_policy_uses_a_cpu_reading_up_to_the_maximum_age(double secondsOld, int expected)
    {
        var engine = new AutoscaleEngine(Threshold());

        var decision = engine.Evaluate(Input(2, 2, Cpu(10, T0.AddSeconds(-secondsOld))), T0);

        Assert.Equal(expected, decision.Desired);
    }

    [Fact]
    public void The_threshold_policy_without_a_cpu_reading_holds_and_says_so()
    {
        var engine = new AutoscaleEngine(Threshold(o => o.RequestsPerSecond = 10));

        var decision = engine.Evaluate(Input(2, 2, new SignalReading(SignalNames.RequestsPerSecond, 50, 10, true, T0)), T0);

        Assert.Equal(2, decision.Desired);
        Assert.Equal("no fresh CPU reading", decision.Reason);
        Assert.Equal("no fresh CPU reading", decision.HeldBack);
    }
}
