using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.Routing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// The gateway's view of every pool's members, starting from configuration (version 0) and changed by the scaler's
/// events by the rule the health monitor follows too (<see cref="VersionedPool{TMember}"/>: stale events change nothing).
/// Every change swaps YARP's in-memory config: requests in flight keep their destination and finish; new requests see
/// the new members. No reload, nothing dropped. A pool that no route uses and the configuration does not name is not
/// kept (the health monitor, which probes whatever the scaler owns, takes it).
/// </summary>
internal sealed partial class PoolRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (VersionedPool<InstanceOptions> View, string HealthPath)> _pools;
    private readonly GatewayPoolsOptions _settings;
    private readonly GatewayRoutesOptions _routes;
    private readonly InMemoryConfigProvider _proxyConfig;
    private readonly ILogger<PoolRegistry> _logger;
    // Pools with neither a configured member nor an event yet, completed by their first event (see PoolStartHold).
    private readonly Dictionary<string, TaskCompletionSource> _firstMembers;
    private volatile bool _awaitingMembers;

    public PoolRegistry(
        IOptions<PoolsOptions> pools, IOptions<GatewayPoolsOptions> settings, IOptions<GatewayRoutesOptions> routes,
        InMemoryConfigProvider proxyConfig, ILogger<PoolRegistry> logger)
    {
        _settings = settings.Value;
        _routes = routes.Value;
        _proxyConfig = proxyConfig;
        _logger = logger;
        _pools = pools.Value.ToDictionary(
            p => p.Key,
            p => (new VersionedPool<InstanceOptions>(SameInstance.Instance, p.Value.Instances.Select(i => KeyValuePair.Create(i.Id, i))), p.Value.HealthPath),
            StringComparer.OrdinalIgnoreCase);
        _firstMembers = _pools.Where(p => p.Value.View.Members.Count == 0).ToDictionary(
            p => p.Key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.OrdinalIgnoreCase);
        _awaitingMembers = _firstMembers.Count > 0;
    }

    /// <summary>True until every pool has had a member configured or an event from the scaler (then false for good).</summary>
    public bool AwaitingMembers => _awaitingMembers;

    /// <summary>
    /// Completes when the pool's first event from the scaler is applied; null for a pool that had members configured
    /// (or is not a pool).
    /// </summary>
    public Task? MembersKnown(string pool) => _firstMembers.TryGetValue(pool, out var first) ? first.Task : null;

    /// <summary>The pool's version (0: as configured); -1 for a pool the gateway does not keep.</summary>
    public long VersionOf(string pool)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(pool, out var state) ? state.View.Version : -1;
        }
    }

    /// <summary>Pools with no member configured and none from an event yet (a pool emptied by events is not listed).</summary>
    public IReadOnlyList<string> PoolsWithoutMembers()
    {
        return [.. _firstMembers.Where(p => !p.Value.Task.IsCompleted).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    public bool Apply(InstanceStarted started) => Change(started.Pool, view =>
        view.Set(started.PoolVersion, started.InstanceId, Instance(started.InstanceId, started.Address, started.Weight, started.IsBackup), out _));

    public bool Apply(InstanceStopped stopped) => Change(stopped.Pool, view => view.Remove(stopped.PoolVersion, stopped.InstanceId, out _));

    /// <summary>
    /// Replaces the pool's members when the snapshot is newer, or as new and different (see
    /// <see cref="VersionedPool{TMember}"/>): <paramref name="removed"/> lists the ids that left.
    /// </summary>
    public bool Apply(PoolChanged snapshot, out IReadOnlyList<string> removed)
    {
        IReadOnlyList<string> left = [];
        var applied = Change(snapshot.Pool, view =>
        {
            var members = snapshot.Members.Select(m => KeyValuePair.Create(m.InstanceId, Instance(m.InstanceId, m.Address, m.Weight, m.IsBackup)));
            if (!view.Replace(snapshot.Version, members, out var gone, out _))
            {
                return false;
            }
            left = [.. gone.Select(m => m.Key).Where(id => !view.Members.ContainsKey(id))];
            return true;
        });
        removed = left;
        return applied;
    }

    private static InstanceOptions Instance(string id, Uri address, int weight, bool backup) =>
        new() { Id = id, Address = address.ToString(), Weight = weight, Backup = backup };

    private bool Change(string pool, Func<VersionedPool<InstanceOptions>, bool> change)
    {
        lock (_gate)
        {
            if (!_pools.TryGetValue(pool, out var state))
            {
                LogUnknownPool(_logger, pool);
                return false;
            }
            if (!change(state.View))
            {
                return false;
            }
            var snapshot = new PoolsOptions();
            foreach (var (name, current) in _pools)
            {
                snapshot[name] = new PoolOptions { HealthPath = current.HealthPath, Instances = [.. current.View.Members.Values] };
            }
            _proxyConfig.Update(RouteTable.Build(_routes), PoolClusters.Build(snapshot, _settings, _routes));
            LogPoolChanged(_logger, pool, state.View.Version, state.View.Members.Count);
            if (_awaitingMembers && _firstMembers.TryGetValue(pool, out var first))
            {
                first.TrySetResult(); // after the swap above: whoever it wakes finds the new destinations
                _awaitingMembers = _firstMembers.Values.Any(f => !f.Task.IsCompleted);
            }
            return true;
        }
    }

    /// <summary>Two members of one id are the same when the scaler says the same of them (address, weight, backup).</summary>
    private sealed class SameInstance : IEqualityComparer<InstanceOptions>
    {
        public static readonly SameInstance Instance = new();

        public bool Equals(InstanceOptions? x, InstanceOptions? y) =>
            x is not null && y is not null && x.Address == y.Address && x.Weight == y.Weight && x.Backup == y.Backup;

        public int GetHashCode(InstanceOptions obj) => HashCode.Combine(obj.Address, obj.Weight, obj.Backup);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} is at version {Version} with {Count} instances")]
    private static partial void LogPoolChanged(ILogger logger, string pool, long version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a change to pool {Pool}: no route uses it and it is not configured")]
    private static partial void LogUnknownPool(ILogger logger, string pool);
}
