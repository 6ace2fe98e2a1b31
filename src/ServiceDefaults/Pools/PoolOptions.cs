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

    /// <summary>The instances, primaries and backups.</summary>
    public List<InstanceOptions> Instances { get; set; } = [];
}
