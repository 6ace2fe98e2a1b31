namespace StarGuide.Contracts;

/// <summary>An instance left <paramref name="Pool"/> (scaled down, replaced, or crashed and removed).</summary>
public sealed record InstanceStopped(
    string InstanceId,
    string Pool,
    Uri Address,
    string Reason,
    long PoolVersion,
    DateTimeOffset StoppedAt);
