using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>A pool's state as stored in Redis (JSON), read back by a restarted scaler.</summary>
internal sealed record StoredPool(int Desired, long Version, int NextOrdinal, IReadOnlyList<StoredMember> Members, int? Floor = null, int? Ceiling = null)
{
    public static StoredPool From(PoolState state) => new(
        state.Desired,
        state.Version,
        state.NextOrdinal,
        [.. state.Members.Values.Select(m => new StoredMember(m.InstanceId, m.Address, m.Handle, m.StartedAt, m.State, m.Since, m.Restarts))],
        state.Floor,
        state.Ceiling);
}

/// <summary>One member as stored in Redis.</summary>
internal sealed record StoredMember(
    string InstanceId,
    Uri Address,
    string Handle,
    DateTimeOffset StartedAt,
    MemberState State,
    DateTimeOffset Since,
    int Restarts);
