namespace StarGuide.Scaler.Drivers;

/// <summary>An instance ended by itself (crashed, killed, exited); <paramref name="Reason"/> says how, e.g. "exit code 137".</summary>
internal sealed record InstanceExit(string InstanceId, string Reason);
