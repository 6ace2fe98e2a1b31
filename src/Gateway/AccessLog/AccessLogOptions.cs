namespace StarGuide.Gateway.AccessLog;

/// <summary>The access log (section <c>Gateway:AccessLog</c>); routes can opt out with <c>AccessLog: false</c>.</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "Gateway:AccessLog";

    /// <summary>One log line per request, with the seed's fields (rt, uct, uht, urt).</summary>
    public bool Enabled { get; set; } = true;
}
