namespace StarGuide.Scaler.Drivers;

/// <summary>What the controller asks a driver to start.</summary>
/// <param name="Pool">Pool name, e.g. <c>backend</c>.</param>
/// <param name="InstanceId">Id chosen by the controller, unique in the pool and never reused, e.g. <c>backend-7</c>.</param>
/// <param name="Ordinal">The number in the id (7 for <c>backend-7</c>), for templates such as systemd's <c>@{index}</c>.</param>
internal sealed record InstanceLaunch(string Pool, string InstanceId, int Ordinal);
