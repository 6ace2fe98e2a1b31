namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// How a pool scales with load (section <c>Scaler:Pools:&lt;pool&gt;:Autoscaling</c>). The defaults are Kubernetes
/// HPA's stability (10 % tolerance, scale-down only to the highest recommendation of the last 60 s, at most one
/// instance down per 60 s, up by +100 % or +4 per 15 s) with Knative's burst reaction (demand over the last 6 s at 2×
/// the pool's capacity scales up at once and holds scale-down off).
/// </summary>
internal sealed class AutoscalingOptions
{
    /// <summary>Off: the pool stays at the size operators and <c>ScaleRequested</c> events give it.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// <c>proportional</c> (desired = ceil(ready × observed / target), as the HPA) or <c>threshold</c> (the seed's
    /// rule: one instance up above <see cref="UpAbove"/>, one down below <see cref="DownBelow"/>, every check).
    /// </summary>
    public string Policy { get; set; } = AutoscalePolicies.Proportional;

    /// <summary>Time between two decisions.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between two readings of the signals (bursts are looked for at every reading).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No action while observed / target is within 1 ± this (0.1 = 10 %).</summary>
    public double Tolerance { get; set; } = 0.1;

    /// <summary>Scale up only to the lowest recommendation of this window (0: at once).</summary>
    public TimeSpan ScaleUpWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Scale down only to the highest recommendation of this window.</summary>
    public TimeSpan ScaleDownWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this percentage more instances per <see cref="ScaleUpPeriod"/> (or <see cref="ScaleUpInstances"/>, whichever allows more).</summary>
    public int ScaleUpPercent { get; set; } = 100;

    /// <summary>At most this many more instances per <see cref="ScaleUpPeriod"/> (or <see cref="ScaleUpPercent"/>, whichever allows more).</summary>
    public int ScaleUpInstances { get; set; } = 4;

    public TimeSpan ScaleUpPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many fewer instances per <see cref="ScaleDownPeriod"/>.</summary>
    public int ScaleDownInstances { get; set; } = 1;

    public TimeSpan ScaleDownPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The short window in which a burst is looked for.</summary>
    public TimeSpan PanicWindow { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>A burst: demand over <see cref="PanicWindow"/> at this many times the pool's capacity (observed / target).</summary>
    public double PanicThreshold { get; set; } = 2.0;

    /// <summary>A reading older than this is stale and not used (a gateway report older than this counts as missing).</summary>
    public TimeSpan MaxSignalAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Target CPU per instance, in percent of one core (the process's own, not the host's); 0: not a signal.</summary>
    public double CpuPercent { get; set; }

    /// <summary>Target requests per second per instance, as every gateway replica together sees them; 0: not a signal.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Target requests in flight per instance, as every gateway replica together sees them; 0: not a signal.</summary>
    public double InFlight { get; set; }

    /// <summary>Threshold policy: one instance up when CPU is above this percentage.</summary>
    public double UpAbove { get; set; } = 80;

    /// <summary>Threshold policy: one instance down when CPU is below this percentage.</summary>
    public double DownBelow { get; set; } = 30;
}
