namespace StarGuide.ServiceDefaults.Pools;

/// <summary>
/// One pool of interchangeable instances (nginx <c>upstream</c>): what the gateway and the health monitor both read.
/// The settings only the gateway reads (<c>MaxFails</c>, <c>FailTimeout</c>, <c>ConnectTimeout</c>) are its own
/// (<c>src/Gateway/Pools/GatewayPoolOptions</c>), bound from the same section.
/// </summary>
public sealed class PoolOptions
{
    /// <summary>The health path of a pool that does not set one (also of a pool known only from the scaler's events).</summary>
    public const string DefaultHealthPath = "/health";

    /// <summary>Path probed by the health monitor on every instance; 2xx means healthy.</summary>
    public string HealthPath { get; set; } = DefaultHealthPath;

    /// <summary>
    /// The networks (CIDR, e.g. <c>172.16.0.0/12</c>) that an instance address in the scaler's events must be in; a host
    /// name must resolve into them only. Empty: <see cref="UpstreamAddressRule.DefaultNetworks"/> (loopback, where the
    /// AppHost's and the tests' instances run). Instances in this configuration are not checked: configuration is
    /// trusted, events are checked, so that a forged event cannot point public traffic at any address it likes.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// The ports an instance address in the scaler's events may use: ports and ranges, comma-separated, e.g. <c>8080</c>
    /// or <c>8000-8099,9000</c>. The default admits every unprivileged port (the process driver picks free ones).
    /// </summary>
    public string AllowedPorts { get; set; } = UpstreamAddressRule.DefaultPorts;

    /// <summary>The instances, primaries and backups.</summary>
    public List<InstanceOptions> Instances { get; set; } = [];
}
