namespace StarGuide.Scaler.Planning;

/// <summary>Everything the planner decides from: the pool's desired size, its members and its crash record.</summary>
/// <param name="Launching">Starts asked of the driver that have not returned yet (capacity on its way).</param>
/// <param name="CrashStreak">Instances in a row that ended or failed to get healthy soon after their start.</param>
/// <param name="LastCrashAt">When the last of those crashes happened; null: none yet.</param>
/// <param name="BackoffUntil">No new start before this time (crash-loop back-off); null: none.</param>
internal sealed record PoolSituation(
    int Desired,
    IReadOnlyList<MemberView> Members,
    int Launching,
    int CrashStreak,
    DateTimeOffset? LastCrashAt,
    DateTimeOffset? BackoffUntil);
