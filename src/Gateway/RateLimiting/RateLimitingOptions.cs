namespace StarGuide.Gateway.RateLimiting;

/// <summary>Per-client rate limits by zone (section <c>Gateway:RateLimiting</c>).</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "Gateway:RateLimiting";

    /// <summary>Off: no request is limited (for benchmarks and trusted deployments).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Zones by name; a route names its zone. Defaults are the seed's.</summary>
    public Dictionary<string, RateLimitZoneOptions> Zones { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Redis key prefix, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "starguide:rl";

    /// <summary>A Redis answer slower than this counts as Redis being down: the request is decided in process.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Most tokens a replica takes of one client's budget in one Redis call, spent locally without a round trip (see
    /// <see cref="RateLimitLease"/>). A zone's leases are also capped at what its rate refills in
    /// <see cref="LeaseLifetime"/>, so a 10 r/s zone never leases (every request asks Redis). 1 turns leases off.
    /// </summary>
    public int MaxLeaseTokens { get; set; } = 100;

    /// <summary>
    /// How long leased tokens may be spent after they were asked for; unspent ones lapse. Over any interval the replicas
    /// together admit at most what nginx would admit over the interval plus this much (rate × this, more requests).
    /// </summary>
    public TimeSpan LeaseLifetime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After a Redis failure, requests are decided in process for this long before Redis is tried again.</summary>
    public TimeSpan RedisRetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
