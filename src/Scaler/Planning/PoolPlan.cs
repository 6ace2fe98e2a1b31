namespace StarGuide.Scaler.Planning;

/// <summary>What to do now. Empty lists and zero starts: nothing.</summary>
/// <param name="Start">Instances to start.</param>
/// <param name="Drain">Instances to take out of rotation (<c>InstanceDraining</c>) and stop after the drain delay, with why.</param>
/// <param name="Stop">Instances whose drain delay is over, or that failed to start: ask the driver to stop them now.</param>
/// <param name="HeldBack">Why a start that is needed waits (crash-loop back-off), or null.</param>
/// <param name="ResetCrashStreak">An instance has been ready for the minimum uptime: the pool is not crash-looping.</param>
internal sealed record PoolPlan(
    int Start,
    IReadOnlyList<PlannedStop> Drain,
    IReadOnlyList<PlannedStop> Stop,
    string? HeldBack,
    bool ResetCrashStreak)
{
    public bool IsEmpty => Start == 0 && Drain.Count == 0 && Stop.Count == 0 && !ResetCrashStreak;
}

/// <summary>One instance to drain or stop, and why (logged and carried by the events).</summary>
internal sealed record PlannedStop(string InstanceId, string Reason, bool FailedStart = false);
