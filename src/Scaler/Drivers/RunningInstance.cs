namespace StarGuide.Scaler.Drivers;

/// <summary>An instance as a driver sees it.</summary>
/// <param name="InstanceId">The id it was started with (or, for pods that Kubernetes replaced by itself, the pod name).</param>
/// <param name="Address">Base address the gateway forwards to and the monitor probes, e.g. <c>http://127.0.0.1:41234</c>.</param>
/// <param name="Handle">The driver's own reference: a process id, a container id, a unit name, a pod name.</param>
/// <param name="StartedAt">When it started, as far as the driver knows.</param>
internal sealed record RunningInstance(string InstanceId, Uri Address, string Handle, DateTimeOffset StartedAt);
