using StarGuide.Contracts;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// A pool's desired size, members, version and crash record: what the controller loop changes and what is stored in
/// Redis so that a restarted scaler carries on. Not thread-safe: only the pool's loop touches it.
/// </summary>
internal sealed class PoolState
{
    public required string Pool { get; init; }

    public int Desired { get; set; }

    /// <summary>
    /// Grows with every membership change. Taken as at least the Unix time in milliseconds, so that a scaler whose
    /// stored state was lost still publishes versions newer than any a gateway has seen.
    /// </summary>
    public long Version { get; set; }

    /// <summary>The number of the next instance id (<c>backend-7</c>); ids are never reused.</summary>
    public int NextOrdinal { get; set; } = 1;

    public Dictionary<string, Member> Members { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An operator's lowest size, held until cleared (autoscaling never goes below it); null: none.</summary>
    public int? Floor { get; set; }

    /// <summary>An operator's highest size, held until cleared (autoscaling never goes above it); null: none.</summary>
    public int? Ceiling { get; set; }

    public int CrashStreak { get; set; }

    public DateTimeOffset? LastCrashAt { get; set; }

    public DateTimeOffset? BackoffUntil { get; set; }

    /// <summary>Restart counts of instances that crashed or were replaced, handed to their replacements in turn.</summary>
    public Queue<int> PendingRestarts { get; init; } = new();

    public long NextVersion(DateTimeOffset now)
    {
        Version = Math.Max(Version + 1, now.ToUnixTimeMilliseconds());
        return Version;
    }

    public PoolSituation Situation(int launching) =>
        new(Desired, [.. Members.Values.Select(m => m.View())], launching, CrashStreak, LastCrashAt, BackoffUntil);

    /// <summary>The members that may get traffic (not those leaving), as the gateways and monitors should see them.</summary>
    public PoolChanged Snapshot(int weight, DateTimeOffset now) => new(
        Pool,
        Version,
        [.. Members.Values
            .Where(m => m.State is MemberState.Starting or MemberState.Ready or MemberState.Unhealthy)
            .OrderBy(m => m.StartedAt)
            .Select(m => new PoolMember(m.InstanceId, m.Address, weight, IsBackup: false, Ready: m.State == MemberState.Ready))],
        now);
}
