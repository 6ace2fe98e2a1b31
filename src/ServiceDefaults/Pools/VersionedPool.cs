namespace StarGuide.ServiceDefaults.Pools;

/// <summary>
/// One pool's members as the scaler's events say, by pool version: the rule the gateway (<c>PoolRegistry</c>) and the
/// health monitor (<c>PoolMembership</c>) both follow, kept here once. A pool as configured is at version 0. A member
/// event (<c>InstanceStarted</c>, <c>InstanceDraining</c>, <c>InstanceStopped</c>) changes the view only when its
/// version is newer, so a redelivered or reordered event is harmless. A snapshot (<c>PoolChanged</c>) replaces the view
/// when newer, and also at the same version when it differs: the view then came from a single event applied to a view
/// that had missed the ones before it (a service that started after them takes an <c>InstanceStopped</c> to its
/// configured members and is at that event's version), and only the snapshot says what the pool is at that version
/// (found by bench/chaos.sh: a restarted gateway replica ignored every snapshot until the pool changed again).
/// </summary>
/// <remarks>Not thread-safe: its owner changes it under its own lock.</remarks>
/// <typeparam name="TMember">What the service keeps of a member (the gateway: address, weight, backup; the monitor: address).</typeparam>
public sealed class VersionedPool<TMember>
    where TMember : notnull
{
    private readonly Dictionary<string, TMember> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly IEqualityComparer<TMember> _sameMember;

    /// <param name="sameMember">When two members of one id are the same instance (the monitor: same address).</param>
    public VersionedPool(IEqualityComparer<TMember>? sameMember = null, IEnumerable<KeyValuePair<string, TMember>>? configured = null)
    {
        _sameMember = sameMember ?? EqualityComparer<TMember>.Default;
        foreach (var (id, member) in configured ?? [])
        {
            _members[id] = member;
        }
    }

    /// <summary>The pool version of the last event applied; 0 before the first (as configured).</summary>
    public long Version { get; private set; }

    public IReadOnlyDictionary<string, TMember> Members => _members;

    /// <summary>
    /// Sets a member (<c>InstanceStarted</c>) if <paramref name="version"/> is newer; <paramref name="replaced"/> is the member
    /// it replaces under the same id, if any. False: stale, nothing changed.
    /// </summary>
    public bool Set(long version, string id, TMember member, out TMember? replaced)
    {
        replaced = default;
        if (version <= Version)
        {
            return false;
        }
        _members.Remove(id, out replaced);
        _members[id] = member;
        Version = version;
        return true;
    }

    /// <summary>
    /// Removes a member (<c>InstanceDraining</c>, <c>InstanceStopped</c>) if <paramref name="version"/> is newer;
    /// <paramref name="removed"/> is that member, or default when the view did not have it. False: stale.
    /// </summary>
    public bool Remove(long version, string id, out TMember? removed)
    {
        removed = default;
        if (version <= Version)
        {
            return false;
        }
        _members.Remove(id, out removed);
        Version = version;
        return true;
    }

    /// <summary>
    /// Replaces the members with a snapshot's when it is newer, or of the same version and different.
    /// <paramref name="left"/>: the members that are gone, or whose id now names another member (by the comparer);
    /// <paramref name="joined"/>: the members that are new, or are that other member. False: nothing changed.
    /// </summary>
    public bool Replace(
        long version, IEnumerable<KeyValuePair<string, TMember>> snapshot,
        out IReadOnlyList<KeyValuePair<string, TMember>> left, out IReadOnlyList<KeyValuePair<string, TMember>> joined)
    {
        left = joined = [];
        if (version < Version)
        {
            return false;
        }
        var next = new Dictionary<string, TMember>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, member) in snapshot)
        {
            next[id] = member;
        }
        var gone = _members.Where(m => !next.TryGetValue(m.Key, out var now) || !_sameMember.Equals(m.Value, now)).ToList();
        var come = next.Where(m => !_members.TryGetValue(m.Key, out var was) || !_sameMember.Equals(was, m.Value)).ToList();
        if (version == Version && gone.Count == 0 && come.Count == 0)
        {
            return false;
        }
        left = gone;
        joined = come;
        _members.Clear();
        foreach (var (id, member) in next)
        {
            _members[id] = member;
        }
        Version = version;
        return true;
    }
}
