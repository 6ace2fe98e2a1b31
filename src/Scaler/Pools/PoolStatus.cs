using System.Text.Json.Serialization;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>A pool as <c>GET /pools</c> shows it.</summary>
internal sealed record PoolStatus(
    string Pool,
    string Driver,
    int Desired,
    int Ready,
    int MinInstances,
    int MaxInstances,
    int? Floor,
    int? Ceiling,
    long Version,
    int CrashStreak,
    DateTimeOffset? BackoffUntil,
    IReadOnlyList<MemberStatus> Members)
{
    /// <summary>The lowest size allowed now: the pool's minimum, raised by an operator's floor.</summary>
    public int Lowest => Math.Max(MinInstances, Floor ?? 0);

    /// <summary>The highest size allowed now: the pool's maximum, lowered by an operator's ceiling.</summary>
    public int Highest => Math.Min(MaxInstances, Ceiling ?? int.MaxValue);

    public static PoolStatus From(PoolState state, ScalerPoolOptions options, string driver, DateTimeOffset now) => new(
        state.Pool,
        driver,
        state.Desired,
        state.Members.Values.Count(m => m.State == MemberState.Ready),
        options.MinInstances,
        options.MaxInstances,
        state.Floor,
        state.Ceiling,
        state.Version,
        state.CrashStreak,
        state.BackoffUntil > now ? state.BackoffUntil : null,
        [.. state.Members.Values.OrderBy(m => m.StartedAt).Select(m => new MemberStatus(
            m.InstanceId, m.Address, m.Handle, m.State, m.StartedAt, Math.Round((now - m.StartedAt).TotalSeconds, 1), m.Restarts, m.Reason))]);
}

/// <summary>One instance in <see cref="PoolStatus"/>.</summary>
internal sealed record MemberStatus(
    string InstanceId,
    Uri Address,
    string Handle,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MemberState>))] MemberState State,
    DateTimeOffset StartedAt,
    double AgeSeconds,
    int Restarts,
    string Reason);
