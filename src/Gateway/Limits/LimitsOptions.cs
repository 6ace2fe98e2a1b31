using System.ComponentModel.DataAnnotations;

namespace StarGuide.Gateway.Limits;

/// <summary>Request size limits and the keep-alive timeout (section <c>Gateway:Limits</c>), enforced by Kestrel.</summary>
internal sealed class LimitsOptions
{
    public const string SectionName = "Gateway:Limits";

    /// <summary>Largest request body in bytes; a larger one gets 413 (nginx <c>client_max_body_size 50M</c>).</summary>
    [Range(1, long.MaxValue, ErrorMessage = SectionName + ":MaxRequestBodyBytes must be 1 or more.")]
    public long MaxRequestBodyBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>
    /// After a 413, how many bytes of the refused body are read and discarded before the connection closes, so that a
    /// client that writes its whole body before reading sees the 413 (nginx's lingering close); 0: close at once.
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = SectionName + ":LingeringBytes must not be negative.")]
    public long LingeringBytes { get; set; } = 128 * 1024 * 1024;

    /// <summary>How long that discarding may take at most (nginx <c>lingering_time 30s</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = SectionName + ":LingeringTime must be between 00:00:00 and 00:10:00.")]
    public TimeSpan LingeringTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest sum of request header lines in bytes; more gets 431. At most 1 MiB, Kestrel's request buffer.
    /// (nginx's <c>large_client_header_buffers 4 8k</c> also comes to 32 KiB.)
    /// </summary>
    [Range(1024, 1024 * 1024, ErrorMessage = SectionName + ":MaxRequestHeadersTotalBytes must be between 1024 and 1048576.")]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Longest request line (method, target, version) in bytes; longer gets 414. At most 1 MiB.</summary>
    [Range(256, 1024 * 1024, ErrorMessage = SectionName + ":MaxRequestLineBytes must be between 256 and 1048576.")]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>How long an idle client connection is kept open (nginx <c>keepalive_timeout 65</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = SectionName + ":KeepAliveTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(65);
}
