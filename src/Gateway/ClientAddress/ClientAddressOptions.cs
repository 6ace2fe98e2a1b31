namespace StarGuide.Gateway.ClientAddress;

/// <summary>Who may tell the gateway a client's address (section <c>Gateway:ClientAddress</c>).</summary>
public sealed class ClientAddressOptions
{
    public const string SectionName = "Gateway:ClientAddress";

    /// <summary>
    /// Proxies in front of the gateway (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> are believed. Empty (the default): the client is always the TCP peer, whatever
    /// headers it sends.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
