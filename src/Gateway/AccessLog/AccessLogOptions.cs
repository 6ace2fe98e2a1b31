namespace StarGuide.Gateway.AccessLog;

/// <summary>The access log (section <c>Gateway:AccessLog</c>); routes can opt out with <c>AccessLog: false</c>.</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "Gateway:AccessLog";

    /// <summary>One line per request, with the seed's fields (rt, uct, uht, urt).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// File the lines are appended to (its folder must exist); empty: standard output, where a container runtime
    /// collects them.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// Lines waiting to be written at most; beyond it lines are dropped and counted
    /// (<c>starguide_gateway_access_log_dropped_total</c>) rather than slowing requests down.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;
}
