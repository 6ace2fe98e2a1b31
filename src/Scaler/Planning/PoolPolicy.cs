namespace StarGuide.Scaler.Planning;

/// <summary>The timings the planner applies (from the pool's settings: <c>ScalerPoolOptions.Policy()</c>).</summary>
internal sealed record PoolPolicy(
    TimeSpan StartTimeout,
    TimeSpan DrainDelay,
    TimeSpan MinUptime,
    TimeSpan BackoffInitial,
    TimeSpan BackoffMax)
{
    /// <summary>The wait before the next start after <paramref name="crashStreak"/> crashes in a row: 1, 2, 4 … × initial, at most max.</summary>
    public TimeSpan Backoff(int crashStreak)
    {
        if (crashStreak <= 0)
        {
            return TimeSpan.Zero;
        }
        var factor = Math.Pow(2, Math.Min(crashStreak - 1, 30));
        var wait = BackoffInitial.TotalMilliseconds * factor;
        return wait >= BackoffMax.TotalMilliseconds ? BackoffMax : TimeSpan.FromMilliseconds(wait);
    }
}
