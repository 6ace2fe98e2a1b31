namespace StarGuide.Gateway.Retries;

/// <summary>Retrying a failed attempt on another instance (section <c>Gateway:Retries</c>).</summary>
internal sealed class RetryOptions
{
    public const string SectionName = "Gateway:Retries";

    /// <summary>Retry once, on another instance, what is safe to send again (nginx <c>proxy_next_upstream error timeout</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Count PUT and DELETE as idempotent, i.e. send them again when the instance failed before answering.</summary>
    public bool RetryPutAndDelete { get; set; }

    /// <summary>
    /// Largest body, in bytes (by <c>Content-Length</c>), of an idempotent request that the gateway keeps in memory so
    /// that it can send it again; a larger or chunked body is sent again only if its first connection never opened.
    /// </summary>
    public int MaxBufferedBodyBytes { get; set; } = 64 * 1024;
}
