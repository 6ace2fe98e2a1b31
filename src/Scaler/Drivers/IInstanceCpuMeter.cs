namespace StarGuide.Scaler.Drivers;

/// <summary>
/// A driver that can tell how much CPU time each of its instances has used (the instance's own, not the host's), for
/// the autoscaler's CPU signal. The process driver reads <c>/proc/&lt;pid&gt;/stat</c>; the docker driver asks the engine
/// for the container's one-shot stats (its cgroup's usage, what <c>docker stats</c> shows).
/// </summary>
internal interface IInstanceCpuMeter
{
    /// <summary>
    /// CPU time used by the instance since it started; null when it cannot be read (gone, not readable, the engine does
    /// not answer). Never throws: a missing reading is left out of the signal, and never scales a pool down.
    /// </summary>
    ValueTask<TimeSpan?> CpuTimeAsync(string handle, CancellationToken cancellationToken);
}
