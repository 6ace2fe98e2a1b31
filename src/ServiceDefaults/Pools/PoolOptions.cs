namespace StarGuide.ServiceDefaults.Pools;

/// <summary>One pool of interchangeable instances (nginx <c>upstream</c>).</summary>
public sealed class PoolOptions
{
    /// <summary>The health path of a pool that does not set one (also of a pool known only from the scaler's events).</summary>
    public const string DefaultHealthPath = "/health";

    /// <summary>Path probed by the health monitor on every instance; 2xx means healthy.</summary>
    public string HealthPath { get; set; } = DefaultHealthPath;

    /// <summary>
    /// Failed attempts (connection error or timeout) within <see cref="FailTimeout"/> that take an instance out of
    /// rotation for <see cref="FailTimeout"/> (nginx <c>max_fails</c>); 0 turns passive health off for the pool.
    /// </summary>
    public int MaxFails { get; set; } = 3;

    /// <summary>
    /// Window in which <see cref="MaxFails"/> failures count, and how long the instance then stays out
    /// (nginx <c>fail_timeout</c>), e.g. <c>00:00:30</c>.
    /// </summary>
    public TimeSpan FailTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time to open a connection to an instance before the attempt counts as failed and, if it may be, is retried on
    /// another instance (nginx <c>proxy_connect_timeout</c>; the seed's 60 s).
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

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
