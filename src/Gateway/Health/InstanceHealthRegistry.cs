using System.Collections.Concurrent;

namespace StarGuide.Gateway.Health;

/// <summary>
/// Which instances are in rotation, by pool and instance id: the health monitor's latest verdict, or out while starting
/// (until its first healthy probe) and while draining. An instance never mentioned is in rotation.
/// </summary>
internal sealed class InstanceHealthRegistry
{
    private readonly ConcurrentDictionary<(string Pool, string InstanceId), bool> _unhealthy = new(PoolInstanceComparer.Instance);

    /// <summary>Puts an instance in or out of rotation; returns false when it already was (a duplicate event).</summary>
    public bool SetInRotation(string pool, string instanceId, bool inRotation)
    {
        var key = (pool, instanceId);
        var unhealthy = !inRotation;
        var changed = !_unhealthy.TryGetValue(key, out var previous) || previous != unhealthy;
        _unhealthy[key] = unhealthy;
        return changed;
    }

    /// <summary>True when a verdict (or a start) has been recorded for the instance.</summary>
    public bool Knows(string pool, string instanceId) => _unhealthy.ContainsKey((pool, instanceId));

    /// <summary>Drops what is known of an instance that left its pool (ids are not reused; this only frees memory).</summary>
    public void Forget(string pool, string instanceId) => _unhealthy.TryRemove((pool, instanceId), out _);

    public bool IsUnhealthy(string pool, string instanceId) =>
        _unhealthy.TryGetValue((pool, instanceId), out var unhealthy) && unhealthy;

    private sealed class PoolInstanceComparer : IEqualityComparer<(string Pool, string InstanceId)>
    {
        public static readonly PoolInstanceComparer Instance = new();

        public bool Equals((string Pool, string InstanceId) x, (string Pool, string InstanceId) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Pool, y.Pool)
            && StringComparer.OrdinalIgnoreCase.Equals(x.InstanceId, y.InstanceId);

        public int GetHashCode((string Pool, string InstanceId) obj) =>
            HashCode.Combine(
                StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Pool),
                StringComparer.OrdinalIgnoreCase.GetHashCode(obj.InstanceId));
    }
}
