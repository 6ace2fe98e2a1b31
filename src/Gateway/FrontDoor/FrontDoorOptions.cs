namespace StarGuide.Gateway.FrontDoor;

/// <summary>What the front door checks before Kestrel parses a request (section <c>Gateway:FrontDoor</c>).</summary>
internal sealed class FrontDoorOptions
{
    public const string SectionName = "Gateway:FrontDoor";

    /// <summary>
    /// Strict HTTP/1.1 framing (RFC 9112): refuse with 400, before anything reaches Kestrel's request handling or an
    /// upstream, what Kestrel would accept although a strict server refuses it (see <see cref="Http1FramingValidator"/>).
    /// Its cost is measured in docs/measurements.md; off only to measure that cost.
    /// </summary>
    public bool StrictHttp1 { get; set; } = true;
}
