using System.Diagnostics;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// One request's timings, as a request feature: filled in as the request passes the proxy pipeline, written out
/// when it ends. Timestamps are <see cref="Stopwatch"/> ticks; 0 means "did not happen".
/// </summary>
internal sealed class AccessLogEntry(long startTimestamp)
{
    public static readonly HttpRequestOptionsKey<AccessLogEntry> RequestOptionsKey = new("StarGuide.AccessLog");

    public long StartTimestamp { get; } = startTimestamp;

    public long UpstreamStart { get; set; }

    public long UpstreamHeaders { get; set; }

    public long UpstreamEnd { get; set; }

    /// <summary>Time to open a new upstream connection; 0 when a kept-alive one was reused.</summary>
    public long ConnectTicks { get; set; }

    public string? Upstream { get; set; }

    /// <summary>Seconds from <paramref name="from"/> to <paramref name="to"/>, or null when either is missing.</summary>
    public static double? Seconds(long from, long to) =>
        from == 0 || to == 0 ? null : Stopwatch.GetElapsedTime(from, to).TotalSeconds;
}
