using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Drivers.Systemd;

namespace StarGuide.Scaler.Drivers;

/// <summary>
/// The part of a pool's settings (<c>Scaler:Pools:&lt;pool&gt;</c>) that the instance drivers read: which driver, the
/// settings of each, and the most instances the driver must be able to run. The pool's other settings extend it
/// (<c>Pools/ScalerPoolOptions</c>); Drivers/ knows only this part.
/// </summary>
internal class PoolDriverOptions
{
    /// <summary>Which driver starts and stops the pool's instances: <c>process</c>, <c>docker</c>, <c>systemd</c> or <c>kubernetes</c>.</summary>
    public string Driver { get; set; } = "process";

    /// <summary>Most instances the pool may be scaled to.</summary>
    public int MaxInstances { get; set; } = 5;

    public ProcessDriverOptions Process { get; set; } = new();

    public DockerDriverOptions Docker { get; set; } = new();

    public SystemdDriverOptions Systemd { get; set; } = new();

    public KubernetesDriverOptions Kubernetes { get; set; } = new();
}
