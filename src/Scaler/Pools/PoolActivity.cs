namespace StarGuide.Scaler.Pools;

/// <summary>
/// Where the pools tell what happened to them for people to read (the status page's <c>RecentActivity</c> implements
/// it): Pools owns the interface, so that it knows nothing of the page.
/// </summary>
internal interface IPoolActivity
{
    void Add(ActivityEntry entry);
}

/// <summary>Something that happened to a pool, as the status page lists it.</summary>
/// <param name="Kind">
/// <c>scale</c> (the desired size changed), <c>failover</c> (an instance died, turned unhealthy or failed to start and is
/// replaced), <c>backoff</c> (a crash delays the next start) or <c>instance</c> (started, ready, draining, left).
/// </param>
/// <param name="InstanceId">The instance it is about; null for the pool as a whole.</param>
internal sealed record ActivityEntry(DateTimeOffset At, string Pool, string Kind, string? InstanceId, string Text);
