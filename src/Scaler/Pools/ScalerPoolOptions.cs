using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// One pool the scaler owns (section <c>Scaler:Pools:&lt;pool&gt;</c>): its size and timings, on top of the driver's part
/// (<see cref="PoolDriverOptions"/>). The pool's autoscaling settings (<c>Autoscaling</c>) are bound by Autoscaling/.
/// </summary>
internal sealed class ScalerPoolOptions : PoolDriverOptions
{
    /// <summary>Instances to run when the scaler first starts the pool (later the desired count lives in Redis).</summary>
    public int Instances { get; set; } = 2;

    /// <summary>Fewest instances the pool may be scaled to.</summary>
    public int MinInstances { get; set; } = 1;

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

    /// <summary>The timings <see cref="PoolPlanner"/> applies.</summary>
    public PoolPolicy Policy() => new(StartTimeout, DrainDelay, MinUptime, BackoffInitial, BackoffMax);
}
