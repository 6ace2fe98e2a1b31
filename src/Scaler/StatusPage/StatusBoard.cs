using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Scaler.Autoscaling;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// Builds what the page shows, at most about once a second however many pages are open (each build pings Redis, asks
/// the bus and scans the gateways' load reports), and at once after a new pool event or backup.
/// </summary>
internal sealed class StatusBoard(
    PoolControllers pools, RecentActivity activity, DependencyProbe probe, IConnectionMultiplexer redis, IOptions<ScalerOptions> options,
    TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMilliseconds(900);

    /// <summary>Load reports older than this are a gateway that stopped reporting, not load.</summary>
    private static readonly TimeSpan LoadMaxAge = TimeSpan.FromSeconds(10);

    /// <summary>The load scan gives up after this; the page then shows the in-flight figures as unknown.</summary>
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _building = new(1, 1);
    private StatusSnapshot? _last;
    private long _lastVersion = -1;
    private long _lastBuilt;

    public async Task<StatusSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        await _building.WaitAsync(cancellationToken);
        try
        {
            var version = activity.Version;
            if (_last is null || version != _lastVersion || time.GetElapsedTime(_lastBuilt) >= Fresh)
            {
                _last = await BuildAsync();
                _lastVersion = version;
                _lastBuilt = time.GetTimestamp();
            }
            return _last;
        }
        finally
        {
            _building.Release();
        }
    }

    private async Task<StatusSnapshot> BuildAsync()
    {
        var now = time.GetUtcNow();
        var problems = probe.CheckAsync();
        var statuses = pools.All.Select(c => c.Status).OrderBy(s => s.Pool, StringComparer.Ordinal).ToList();
        var loads = statuses.Select(s => InFlightAsync(s.Pool, now)).ToList();
        await Task.WhenAll(loads);
        var (entries, backups) = activity.Read();
        return new StatusSnapshot(now, await problems, [.. statuses.Select((s, i) => new PoolOnPage(s, loads[i].Result))], entries, backups);
    }

    private async Task<IReadOnlyDictionary<string, long>?> InFlightAsync(string pool, DateTimeOffset now)
    {
        // A reader of its own each time: nothing is shared with a scan that was given up on and still runs.
        var reader = new GatewayLoadReader(redis, options.Value.GatewayLoadKeyPrefix);
        try
        {
            var loads = await reader.ReadAsync(pool, now, LoadMaxAge).WaitAsync(LoadTimeout);
            return loads?.ToDictionary(l => l.Key, l => l.Value.InFlight, StringComparer.OrdinalIgnoreCase);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
