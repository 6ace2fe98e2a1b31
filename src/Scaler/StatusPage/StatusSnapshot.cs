using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.StatusPage;

/// <summary>Everything the status page shows, as <c>GET /status/state</c> and each <c>/status/events</c> message carry it.</summary>
internal sealed record StatusSnapshot(
    DateTimeOffset At,
    IReadOnlyList<StatusProblem> Problems,
    IReadOnlyList<PoolOnPage> Pools,
    IReadOnlyList<ActivityEntry> Activity,
    IReadOnlyList<BackupReport> Backups);

/// <summary>A pool with its instances' requests in flight as the gateways report them; <paramref name="InFlight"/> is null when Redis cannot be read.</summary>
internal sealed record PoolOnPage(PoolStatus Status, IReadOnlyDictionary<string, long>? InFlight);
