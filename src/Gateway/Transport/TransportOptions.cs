namespace StarGuide.Gateway.Transport;

/// <summary>How the gateway schedules socket I/O (section <c>Gateway:Transport</c>).</summary>
internal sealed class TransportOptions
{
    public const string SectionName = "Gateway:Transport";

    /// <summary>
    /// Opt-in: run socket completions inline on the I/O threads instead of queueing them to the thread pool (Kestrel's
    /// <c>UnsafePreferInlineScheduling</c> and the runtime's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, which
    /// is process-wide: every socket, Redis and RabbitMQ included). Fewer thread hops per request (figures in
    /// docs/measurements.md), but code that blocks in a continuation stalls every connection served by that I/O
    /// thread. Off by default.
    /// </summary>
    public bool InlineScheduling { get; set; }
}
