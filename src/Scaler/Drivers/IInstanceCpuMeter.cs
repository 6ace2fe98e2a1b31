namespace StarGuide.Scaler.Drivers;

/// <summary>
/// A driver that can tell how much CPU time each of its instances has used (the instance's own, not the host's), for
/// the autoscaler's CPU signal. The process driver reads <c>/proc/&lt;pid&gt;/stat</c>.
/// </summary>
internal interface IInstanceCpuMeter
{
    /// <summary>CPU time used by the instance since it started; null when it cannot be read (gone, not readable).</summary>
    TimeSpan? CpuTime(string handle);
}
