using System.Globalization;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// The autoscaling rules for one pool, with time as an input: feed it every reading (<see cref="Evaluate"/>) and it
/// answers with the desired size. No I/O and no clock of its own, so every rule is table-tested on a fake clock.
/// </summary>
/// <remarks>
/// Every <see cref="AutoscalingOptions.CheckInterval"/>: per signal, desired = ceil(ready × observed / target)
/// (nothing within the tolerance band), the highest of the signals wins; up at once (within the rate limits), down
/// only to the highest recommendation of the scale-down window, at most the scale-down rate. At every reading: a burst
/// (the panic window's average at the panic threshold × target) scales up at once and holds scale-down off for a
/// scale-down window. Missing or partial readings may scale up, never down; stale ones are not used. Nothing scales
/// down before the engine has watched the pool for a whole scale-down window (after a scaler restart, a few quiet
/// readings are not the window's history).
/// </remarks>
internal sealed class AutoscaleEngine(AutoscalingOptions options)
{
    private readonly List<(DateTimeOffset At, IReadOnlyList<SignalReading> Readings)> _samples = [];
    private readonly List<(DateTimeOffset At, int Recommendation)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int Desired)> _sizes = [];
    private DateTimeOffset? _lastCheck;
    private DateTimeOffset? _watchingSince;
    private DateTimeOffset _panicUntil = DateTimeOffset.MinValue;

    public bool InPanic(DateTimeOffset now) => now < _panicUntil;

    public AutoscaleDecision Evaluate(AutoscaleInput input, DateTimeOffset now)
    {
        _watchingSince ??= now;
        _samples.Add((now, input.Readings));
        _sizes.Add((now, input.Desired));
        Forget(now);

        if (input.Desired < input.Min || input.Desired > input.Max)
        {
            var clamped = Math.Clamp(input.Desired, input.Min, input.Max);
            return Changed(input, clamped, now, $"outside {input.Min}..{input.Max} (the pool's bounds and any operator floor or ceiling)", ReasonKinds.Bounds);
        }
        if (options.Policy == AutoscalePolicies.Proportional && Burst(input, now) is { } burst)
        {
            return burst;
        }
        if (_lastCheck is { } last && now - last < options.CheckInterval)
        {
            return AutoscaleDecision.Hold(input.Desired, "between checks");
        }
        _lastCheck = now;
        return options.Policy == AutoscalePolicies.Threshold ? Threshold(input, now) : Proportional(input, now);
    }

    private AutoscaleDecision? Burst(AutoscaleInput input, DateTimeOffset now)
    {
        if (input.Ready == 0)
        {
            return null;
        }
        var window = _samples.Where(s => now - s.At <= options.PanicWindow).ToList();
        if (window.Count < 2)
        {
            return null;
        }
        var worst = input.Readings
            .Select(r => (r.Name, Ratio: Average(window, r.Name) / r.Target))
            .Where(r => !double.IsNaN(r.Ratio))
            .OrderByDescending(r => r.Ratio)
            .FirstOrDefault();
        if (worst.Name is null || worst.Ratio < options.PanicThreshold)
        {
            return null;
        }
        _panicUntil = now + options.ScaleDownWindow;
        var recommendation = (int)Math.Ceiling(input.Ready * worst.Ratio);
        _recommendations.Add((now, recommendation));
        if (recommendation <= input.Desired)
        {
            return null;
        }
        return Up(input, recommendation, now,
            $"burst: {worst.Name} at {worst.Ratio.ToString("0.00", CultureInfo.InvariantCulture)}× target over the last {options.PanicWindow.TotalSeconds:0} s", ReasonKinds.Burst);
    }

    private AutoscaleDecision Proportional(AutoscaleInput input, DateTimeOffset now)
    {
        if (input.Ready == 0)
        {
            return AutoscaleDecision.Hold(input.Desired, "no ready instance to measure");
        }
        var recommendation = -1;
        var because = "";
        foreach (var reading in input.Readings)
        {
            var fresh = now - reading.At <= options.MaxSignalAge;
            var value = Average(_samples.Where(s => now - s.At <= options.CheckInterval), reading.Name);
            if (double.IsNaN(value) || !fresh)
            {
                continue;
            }
            var ratio = value / reading.Target;
            int wanted;
            if (Math.Abs(ratio - 1) <= options.Tolerance)
            {
                wanted = input.Desired;
            }
            else if (ratio > 1)
            {
                // Never a scale-down on load above target, even when capacity still starting covers the demand.
                wanted = Math.Max(input.Desired, (int)Math.Ceiling(input.Ready * ratio));
            }
            else
            {
                // Instances not ready yet are counted at the target: a scale-down is never made on capacity that is not there.
                wanted = (int)Math.Ceiling((input.Ready * ratio) + (input.Desired - input.Ready));
                if (!reading.Complete || !AllComplete(now, reading.Name))
                {
                    wanted = input.Desired;
                }
            }
            if (wanted > recommendation)
            {
                recommendation = wanted;
                because = $"{reading.Name} {Format(value)} per instance, target {Format(reading.Target)} ({Format(ratio * 100)} %)";
            }
        }
        if (recommendation < 0)
        {
            return AutoscaleDecision.Hold(input.Desired, "no fresh readings", "no fresh readings: never a scale-down without them", ReasonKinds.NoReadings);
        }
        _recommendations.Add((now, recommendation));

        if (recommendation > input.Desired)
        {
            var lowest = options.ScaleUpWindow > TimeSpan.Zero
                ? _recommendations.Where(r => now - r.At <= options.ScaleUpWindow).Min(r => r.Recommendation)
                : recommendation;
            return lowest > input.Desired
                ? Up(input, lowest, now, because)
                : AutoscaleDecision.Hold(input.Desired, because, $"scale-up window: lowest recommendation of the last {options.ScaleUpWindow.TotalSeconds:0} s is {lowest}", ReasonKinds.ScaleUpWindow);
        }
        if (recommendation < input.Desired)
        {
            return Down(input, now, because);
        }
        return AutoscaleDecision.Hold(input.Desired, because);
    }

    private AutoscaleDecision Threshold(AutoscaleInput input, DateTimeOffset now)
    {
        var cpu = input.Readings.FirstOrDefault(r => r.Name == SignalNames.Cpu);
        var value = cpu is null ? double.NaN : Average(_samples.Where(s => now - s.At <= options.CheckInterval), cpu.Name);
        if (double.IsNaN(value) || now - cpu!.At > options.MaxSignalAge)
        {
            return AutoscaleDecision.Hold(input.Desired, "no fresh CPU reading", "no fresh CPU reading", ReasonKinds.NoReadings);
        }
        var because = $"cpu {Format(value)} % (up above {Format(options.UpAbove)}, down below {Format(options.DownBelow)})";
        if (value > options.UpAbove && input.Desired < input.Max)
        {
            return Changed(input, input.Desired + 1, now, because);
        }
        if (value < options.DownBelow && input.Desired > input.Min && cpu.Complete)
        {
            return Changed(input, input.Desired - 1, now, because);
        }
        return AutoscaleDecision.Hold(input.Desired, because);
    }

    private AutoscaleDecision Up(AutoscaleInput input, int wanted, DateTimeOffset now, string because, string kind = ReasonKinds.Load)
    {
        var baseline = _sizes.Where(s => now - s.At <= options.ScaleUpPeriod).Min(s => s.Desired);
        var limit = Math.Max(baseline + (baseline * options.ScaleUpPercent / 100), baseline + options.ScaleUpInstances);
        var target = Math.Min(Math.Min(wanted, limit), input.Max);
        if (target <= input.Desired)
        {
            return target == input.Max
                ? AutoscaleDecision.Hold(input.Desired, because, $"at the maximum ({input.Max})", ReasonKinds.Bounds)
                : AutoscaleDecision.Hold(input.Desired, because,
                    $"rate limit: at most {limit} within {options.ScaleUpPeriod.TotalSeconds:0} s of {baseline}", ReasonKinds.RateLimit);
        }
        return Changed(input, target, now, wanted > target ? $"{because}; wanted {wanted}, limited to {target}" : because, kind);
    }

    private AutoscaleDecision Down(AutoscaleInput input, DateTimeOffset now, string because)
    {
        if (InPanic(now))
        {
            return AutoscaleDecision.Hold(input.Desired, because, $"no scale-down until {(_panicUntil - now).TotalSeconds:0} s after the last burst", ReasonKinds.AfterBurst);
        }
        var watched = now - (_watchingSince ?? now);
        if (watched < options.ScaleDownWindow)
        {
            return AutoscaleDecision.Hold(input.Desired, because,
                $"scale-down window: watching for {watched.TotalSeconds:0} s of {options.ScaleDownWindow.TotalSeconds:0} s", ReasonKinds.ScaleDownWindow);
        }
        var highest = _recommendations.Where(r => now - r.At <= options.ScaleDownWindow).Max(r => r.Recommendation);
        if (highest >= input.Desired)
        {
            return AutoscaleDecision.Hold(input.Desired, because,
                $"scale-down window: highest recommendation of the last {options.ScaleDownWindow.TotalSeconds:0} s is {highest}", ReasonKinds.ScaleDownWindow);
        }
        var removed = RemovedWithin(now);
        var allowed = options.ScaleDownInstances - removed;
        if (allowed <= 0)
        {
            return AutoscaleDecision.Hold(input.Desired, because,
                $"rate limit: {removed} instance(s) already removed within {options.ScaleDownPeriod.TotalSeconds:0} s", ReasonKinds.RateLimit);
        }
        var target = Math.Max(Math.Max(highest, input.Desired - allowed), input.Min);
        return target < input.Desired
            ? Changed(input, target, now, because)
            : AutoscaleDecision.Hold(input.Desired, because, $"at the minimum ({input.Min})", ReasonKinds.Bounds);
    }

    private AutoscaleDecision Changed(AutoscaleInput input, int desired, DateTimeOffset now, string because, string kind = ReasonKinds.Load)
    {
        _sizes.Add((now, desired));
        return new AutoscaleDecision(desired, desired > input.Desired ? ScaleDirection.Up : ScaleDirection.Down, because, null, kind);
    }

    /// <summary>Instances removed within the scale-down period: the sum of every decrease between consecutive sizes.</summary>
    private int RemovedWithin(DateTimeOffset now)
    {
        var removed = 0;
        var sizes = _sizes.Where(s => now - s.At <= options.ScaleDownPeriod).ToList();
        for (var i = 1; i < sizes.Count; i++)
        {
            removed += Math.Max(0, sizes[i - 1].Desired - sizes[i].Desired);
        }
        return removed;
    }

    private bool AllComplete(DateTimeOffset now, string signal) =>
        _samples.Where(s => now - s.At <= options.CheckInterval)
            .All(s => s.Readings.FirstOrDefault(r => r.Name == signal) is not { } r || r.Complete);

    private static double Average(IEnumerable<(DateTimeOffset At, IReadOnlyList<SignalReading> Readings)> samples, string signal)
    {
        var values = samples.Select(s => s.Readings.FirstOrDefault(r => r.Name == signal)).OfType<SignalReading>().Select(r => r.Value).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    private void Forget(DateTimeOffset now)
    {
        var keep = new[] { options.ScaleDownWindow, options.ScaleUpWindow, options.ScaleUpPeriod, options.ScaleDownPeriod, options.PanicWindow, options.CheckInterval }.Max();
        _samples.RemoveAll(s => now - s.At > keep);
        _recommendations.RemoveAll(r => now - r.At > keep);
        _sizes.RemoveAll(s => now - s.At > keep);
    }

    private static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
