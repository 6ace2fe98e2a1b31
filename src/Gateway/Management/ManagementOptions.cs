namespace StarGuide.Gateway.Management;

/// <summary>
/// Where the gateway's own endpoints (<c>/health</c>, <c>/alive</c>, <c>/metrics</c>) are served (section
/// <c>Gateway:Management</c>): never to the public.
/// </summary>
internal sealed class ManagementOptions
{
    public const string SectionName = "Gateway:Management";

    /// <summary>
    /// A listener of their own, on this port and <see cref="Address"/>, that serves nothing else; the public listeners
    /// then proxy those paths like any other. 0: no listener of their own, served on the public listeners instead, to
    /// clients in <c>Management:AllowedNetworks</c> only (others' requests for those paths are proxied).
    /// </summary>
    public int Port { get; set; } = 8081;

    /// <summary>The address the management listener binds to: loopback unless a scraper elsewhere must reach it.</summary>
    public string Address { get; set; } = "127.0.0.1";
}
