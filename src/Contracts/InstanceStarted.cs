namespace StarGuide.Contracts;

/// <summary>An instance joined <paramref name="Pool"/> and can be sent traffic once it is healthy.</summary>
/// <param name="Weight">Relative share of traffic (nginx <c>weight</c>), 1 or more.</param>
/// <param name="IsBackup">A standby that gets traffic only while no primary is healthy (nginx <c>backup</c>).</param>
/// <param name="PoolVersion">The pool's version after this change; consumers ignore versions they have seen.</param>
public sealed record InstanceStarted(
    string InstanceId,
    string Pool,
    Uri Address,
    int Weight,
    bool IsBackup,
    long PoolVersion,
    DateTimeOffset StartedAt);
