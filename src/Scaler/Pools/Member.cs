using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>One instance of a pool, as the scaler keeps it (and stores it in Redis). Changed only by its pool's controller loop.</summary>
internal sealed class Member
{
    public required string InstanceId { get; init; }

    public required Uri Address { get; init; }

    /// <summary>The driver's reference: process id, container id, unit or pod name.</summary>
    public required string Handle { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public MemberState State { get; set; }

    /// <summary>When it entered <see cref="State"/>.</summary>
    public DateTimeOffset Since { get; set; }

    /// <summary>How many instances this one replaces in a row (0 for one started to grow the pool).</summary>
    public int Restarts { get; init; }

    /// <summary>Why it is in its state, e.g. the health monitor's reason for an unhealthy verdict.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Order in which the controller learnt of it: a driver listing that began earlier cannot know it yet.</summary>
    public long Sequence { get; set; }

    public MemberView View() => new(InstanceId, State, StartedAt, Since);

    public void MoveTo(MemberState state, DateTimeOffset now, string reason)
    {
        State = state;
        Since = now;
        Reason = reason;
    }
}
