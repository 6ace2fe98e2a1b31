using StarGuide.Scaler.Autoscaling;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Drivers.Systemd;

namespace StarGuide.Scaler.Pools;

/// <summary>One pool the scaler owns (section <c>Scaler:Pools:&lt;pool&gt;</c>).</summary>
internal sealed class ScalerPoolOptions
{
    /// <summary>Which driver starts and stops the pool's instances: <c>process</c>, <c>docker</c>, <c>systemd</c> or <c>kubernetes</c>.</summary>
    public string Driver { get; set; } = "process";

    /// <summary>Instances to run when the scaler first starts the pool (later the desired count lives in Redis).</summary>
    public int Instances { get; set; } = 2;

    /// <summary>Fewest instances the pool may be scaled to.</summary>
    public int MinInstances { get; set; } = 1;

    /// <summary>Most instances the pool may be scaled to.</summary>
    public int MaxInstances { get; set; } = 5;

    /// <summary>Relative share of traffic each instance gets (nginx <c>weight</c>), 1 to 100.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>An instance that has not passed a health probe this long after it started is stopped and counts as a failed start.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After <c>InstanceDraining</c> is published, how long to wait before the instance is asked to stop, so that
    /// every gateway replica has stopped sending it new requests.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an instance asked to stop (SIGTERM, <c>docker stop</c>) may take to finish its requests in flight
    /// before it is killed.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An instance that ends (or never gets healthy) sooner than this after its start counts as a crash.</summary>
    public TimeSpan MinUptime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first restart after a crash; doubles with every crash in a row.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between restarts of a crash-looping pool.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How the pool scales with load; off unless <c>Enabled</c>.</summary>
    public AutoscalingOptions Autoscaling { get; set; } = new();

    public ProcessDriverOptions Process { get; set; } = new();

    public DockerDriverOptions Docker { get; set; } = new();

    public SystemdDriverOptions Systemd { get; set; } = new();

    public KubernetesDriverOptions Kubernetes { get; set; } = new();
}
