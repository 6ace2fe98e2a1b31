namespace StarGuide.Contracts;

/// <summary>
/// The whole membership of <paramref name="Pool"/> at <paramref name="Version"/>. A consumer that missed events (it
/// restarted, its queue was new) converges by replacing its view with the newest snapshot it has seen.
/// </summary>
public sealed record PoolChanged(
    string Pool,
    long Version,
    IReadOnlyList<PoolMember> Members,
    DateTimeOffset ChangedAt);
