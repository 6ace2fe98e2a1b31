using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.Routing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// The gateway's view of every pool's members, starting from configuration (version 0) and changed by the scaler's
/// events. Every change swaps YARP's in-memory config: requests in flight keep their destination and finish; new
/// requests see the new members. No reload, nothing dropped. Events older than the view (by pool version) are
/// ignored, so redelivered or reordered events change nothing.
/// </summary>
internal sealed partial class PoolRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Version, Dictionary<string, InstanceOptions> Members, string HealthPath)> _pools;
    private readonly GatewayRoutesOptions _routes;
    private readonly InMemoryConfigProvider _proxyConfig;
    private readonly ILogger<PoolRegistry> _logger;
    // Pools with neither a configured member nor an event yet, completed by their first event (see PoolStartHold).
    private readonly Dictionary<string, TaskCompletionSource> _firstMembers;
    private volatile bool _awaitingMembers;

    public PoolRegistry(IOptions<PoolsOptions> pools, IOptions<GatewayRoutesOptions> routes, InMemoryConfigProvider proxyConfig, ILogger<PoolRegistry> logger)
    {
        _routes = routes.Value;
        _proxyConfig = proxyConfig;
        _logger = logger;
        _pools = pools.Value.ToDictionary(
            p => p.Key,
            p => (0L, p.Value.Instances.ToDictionary(i => i.Id, StringComparer.OrdinalIgnoreCase), p.Value.HealthPath),
            StringComparer.OrdinalIgnoreCase);
        _firstMembers = _pools.Where(p => p.Value.Members.Count == 0).ToDictionary(
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

    public long VersionOf(string pool)
    {
        lock (_gate)
        {
            return _pools.TryGetValue(pool, out var state) ? state.Version : -1;
        }
    }

    /// <summary>Pools with no member configured and none from an event yet (a pool emptied by events is not listed).</summary>
    public IReadOnlyList<string> PoolsWithoutMembers()
    {
        return [.. _firstMembers.Where(p => !p.Value.Task.IsCompleted).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    public bool Apply(InstanceStarted started) => Change(started.Pool, started.PoolVersion, members =>
        members[started.InstanceId] = new InstanceOptions
        {
            Id = started.InstanceId,
            Address = started.Address.ToString(),
            Weight = started.Weight,
            Backup = started.IsBackup,
        });

    public bool Apply(InstanceStopped stopped) =>
        Change(stopped.Pool, stopped.PoolVersion, members => members.Remove(stopped.InstanceId));

    /// <summary>
    /// Replaces the pool's members when the snapshot is newer, or as new and different: <paramref name="removed"/> lists
    /// the ids that left.
    /// </summary>
    /// <remarks>
    /// A snapshot of the version the view is at replaces the view too when they differ: the view then came from a
    /// single event applied to a view that had missed the ones before it (a gateway that started after them takes an
    /// <see cref="InstanceStopped"/> to its configuration's members and is at that event's version), and only the
    /// snapshot says what the pool is at that version. Without it such a gateway ignored every snapshot until the pool
    /// changed again (found by bench/chaos.sh: a restarted replica answered 503 for every backend request for 400 s).
    /// </remarks>
    public bool Apply(PoolChanged snapshot, out IReadOnlyList<string> removed)
    {
        var left = new List<string>();
        removed = left;
        return Change(snapshot.Pool, snapshot.Version, members =>
        {
            left.AddRange(members.Keys.Where(id => !snapshot.Members.Any(m => string.Equals(m.InstanceId, id, StringComparison.OrdinalIgnoreCase))));
            Replace(members, snapshot);
        }, sameVersionApplies: members => !SameMembers(members, snapshot));
    }

    private static bool SameMembers(Dictionary<string, InstanceOptions> members, PoolChanged snapshot) =>
        members.Count == snapshot.Members.Count
        && snapshot.Members.All(m => members.TryGetValue(m.InstanceId, out var known)
            && known.Address == m.Address.ToString()
            && known.Weight == m.Weight
            && known.Backup == m.IsBackup);

    private static void Replace(Dictionary<string, InstanceOptions> members, PoolChanged snapshot)
    {
        members.Clear();
        foreach (var member in snapshot.Members)
        {
            members[member.InstanceId] = new InstanceOptions
            {
                Id = member.InstanceId,
                Address = member.Address.ToString(),
                Weight = member.Weight,
                Backup = member.IsBackup,
            };
        }
    }

    private bool Change(
        string pool, long version, Action<Dictionary<string, InstanceOptions>> change,
        Func<Dictionary<string, InstanceOptions>, bool>? sameVersionApplies = null)
    {
        lock (_gate)
        {
            if (!_pools.TryGetValue(pool, out var state))
            {
                LogUnknownPool(_logger, pool);
                return false;
            }
            if (version < state.Version || (version == state.Version && sameVersionApplies?.Invoke(state.Members) != true))
            {
                return false;
            }
            change(state.Members);
            _pools[pool] = (version, state.Members, state.HealthPath);
            var snapshot = new PoolsOptions();
            foreach (var (name, current) in _pools)
            {
                snapshot[name] = new PoolOptions { HealthPath = current.HealthPath, Instances = [.. current.Members.Values] };
            }
            _proxyConfig.Update(RouteTable.Build(_routes), PoolRoutes.Clusters(snapshot, _routes));
            LogPoolChanged(_logger, pool, version, state.Members.Count);
            if (_awaitingMembers && _firstMembers.TryGetValue(pool, out var first))
            {
                first.TrySetResult(); // after the swap above: whoever it wakes finds the new destinations
                _awaitingMembers = _firstMembers.Values.Any(f => !f.Task.IsCompleted);
            }
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} is at version {Version} with {Count} instances")]
    private static partial void LogPoolChanged(ILogger logger, string pool, long version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a change to pool {Pool}: no route uses it and it is not configured")]
    private static partial void LogUnknownPool(ILogger logger, string pool);
}
