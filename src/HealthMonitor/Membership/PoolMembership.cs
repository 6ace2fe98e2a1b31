using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>
/// The instances the monitor probes: the configured ones first (pool version 0, what runs when no scaler does), then
/// as the scaler's events say, by the gateway's rule (<see cref="VersionedPool{TMember}"/>: a stale event changes
/// nothing; a snapshot replaces the pool's set, at the same version too when it differs). An instance that stays keeps
/// its tracker, verdict and counters included; one that leaves is retired, so that a probe still in flight announces
/// nothing. A pool the configuration does not name is accepted and probed on <see cref="PoolOptions.DefaultHealthPath"/>
/// (the gateway, which has no route to it, does not keep it); a configured one (possibly with a <c>HealthPath</c> and
/// no instances) on its own path.
/// </summary>
internal sealed partial class PoolMembership
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PoolMembers> _pools = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger<PoolMembership> _logger;
    private volatile InstanceHealthTracker[] _trackers;

    public PoolMembership(IOptions<PoolsOptions> pools, ILogger<PoolMembership> logger)
    {
        _logger = logger;
        foreach (var (name, options) in pools.Value)
        {
            var pool = new PoolMembers(name, options.HealthPath, options.Instances.Select(i => KeyValuePair.Create(i.Id, new Uri(i.Address))));
            _pools[name] = pool;
            foreach (var (id, address) in pool.View.Members)
            {
                Add(pool, id, address, "configured");
            }
        }
        _trackers = Flatten();
    }

    /// <summary>Every tracker to probe now. A new list after each change, never changed in place: read it once per round.</summary>
    public IReadOnlyList<InstanceHealthTracker> Trackers => _trackers;

    /// <summary>The pool version of the last event applied to <paramref name="pool"/>; 0 before the first.</summary>
    public long VersionOf(string pool)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(pool, out var members) ? members.View.Version : 0;
        }
    }

    public bool Apply(InstanceStarted started) => Change(started.Pool, started.PoolVersion, pool =>
    {
        if (!pool.View.Set(started.PoolVersion, started.InstanceId, started.Address, out _))
        {
            return false;
        }
        // An instance restarted under the same id starts with a clean slate, and its first verdict is announced.
        Remove(pool, started.InstanceId, "started again");
        Add(pool, started.InstanceId, started.Address, "started");
        return true;
    });

    public bool Apply(InstanceDraining draining) => Leave(draining.Pool, draining.PoolVersion, draining.InstanceId, "draining");

    public bool Apply(InstanceStopped stopped) => Leave(stopped.Pool, stopped.PoolVersion, stopped.InstanceId, $"stopped: {stopped.Reason}");

    public bool Apply(PoolChanged snapshot) => Change(snapshot.Pool, snapshot.Version, pool =>
    {
        var members = snapshot.Members.Select(m => KeyValuePair.Create(m.InstanceId, m.Address));
        // Same id at another address is another instance: it gets a tracker of its own.
        if (!pool.View.Replace(snapshot.Version, members, out var left, out var joined))
        {
            return false;
        }
        var reason = $"snapshot at version {snapshot.Version}";
        foreach (var (id, _) in left)
        {
            Remove(pool, id, reason);
        }
        foreach (var (id, address) in joined)
        {
            Add(pool, id, address, reason);
        }
        return true;
    });

    private bool Change(string poolName, long version, Func<PoolMembers, bool> change)
    {
        lock (_gate)
        {
            var pool = _pools.GetValueOrDefault(poolName) ?? new PoolMembers(poolName, PoolOptions.DefaultHealthPath);
            if (!change(pool))
            {
                LogStale(_logger, poolName, version, pool.View.Version);
                return false;
            }
            _pools[poolName] = pool;
            _trackers = Flatten();
            LogPoolVersion(_logger, pool.Name, version, pool.Trackers.Count);
            return true;
        }
    }

    private void Add(PoolMembers pool, string instanceId, Uri address, string reason)
    {
        pool.Trackers[instanceId] = new InstanceHealthTracker(pool.Name, pool.HealthPath, instanceId, address);
        LogAdded(_logger, pool.Name, instanceId, address, reason);
    }

    private bool Leave(string poolName, long version, string instanceId, string reason) => Change(poolName, version, pool =>
    {
        if (!pool.View.Remove(version, instanceId, out _))
        {
            return false;
        }
        Remove(pool, instanceId, reason);
        return true;
    });

    private void Remove(PoolMembers pool, string instanceId, string reason)
    {
        if (pool.Trackers.Remove(instanceId, out var tracker))
        {
            tracker.Retire();
            LogRemoved(_logger, pool.Name, instanceId, tracker.Address, reason);
        }
    }

    private InstanceHealthTracker[] Flatten() => [.. _pools.Values.SelectMany(p => p.Trackers.Values)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Probing {Pool}/{InstanceId} at {Address} from now on ({Reason})")]
    private static partial void LogAdded(ILogger logger, string pool, string instanceId, Uri address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer probing {Pool}/{InstanceId} at {Address} ({Reason})")]
    private static partial void LogRemoved(ILogger logger, string pool, string instanceId, Uri address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} is at version {Version} with {Count} instances to probe")]
    private static partial void LogPoolVersion(ILogger logger, string pool, long version, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored an event for pool {Pool} at version {Version}: the pool is at version {Current}")]
    private static partial void LogStale(ILogger logger, string pool, long version, long current);
}
