namespace StarGuide.Gateway.Pools;

/// <summary>
/// What a replica that has just started does with a request for a pool it knows no member of yet (section
/// <c>Gateway:PoolStart</c>): in compose and Kubernetes every member comes from the scaler's events, and the next
/// snapshot is at most <c>Scaler:SnapshotInterval</c> (5 s) away.
/// </summary>
internal sealed class PoolStartOptions
{
    public const string SectionName = "Gateway:PoolStart";

    /// <summary>
    /// How long such a request waits for the pool's first members before it is answered 503 as a pool without
    /// instances is; 0 answers at once. Twice the scaler's snapshot interval by default.
    /// </summary>
    public TimeSpan Hold { get; set; } = TimeSpan.FromSeconds(10);
}
