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
    /// <see cref="AllowedNetworks"/> only.
    /// </summary>
    public int Port { get; set; } = 8081;

    /// <summary>The address the management listener binds to: loopback unless a scraper elsewhere must reach it.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Client networks (CIDR) that may use the endpoints, on either kind of listener; others get 403 on the management
    /// port, and their request is proxied like any other on a public one. Empty (the default): loopback only
    /// (127.0.0.0/8, ::1/128). A peer without an IP address (a Unix socket, an in-process test host) is local and
    /// allowed. (An empty default rather than a filled list: configuration binding appends to a list's initial items.)
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>What <see cref="AllowedNetworks"/> means once the default is applied.</summary>
    public IReadOnlyList<string> EffectiveAllowedNetworks => AllowedNetworks.Count > 0 ? AllowedNetworks : ["127.0.0.0/8", "::1/128"];
}
