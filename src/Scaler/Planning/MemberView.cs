namespace StarGuide.Scaler.Planning;

/// <summary>What the planner needs to know of one instance.</summary>
/// <param name="StartedAt">When the driver started it.</param>
/// <param name="Since">When it entered <paramref name="State"/>.</param>
internal sealed record MemberView(string InstanceId, MemberState State, DateTimeOffset StartedAt, DateTimeOffset Since);
