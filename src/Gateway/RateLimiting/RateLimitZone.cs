namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// A zone in the integer units of <see cref="Gcra"/>, with the largest lease a replica takes of one client's budget:
/// what the rate refills in <see cref="RateLimitingOptions.LeaseLifetime"/>, at most
/// <see cref="RateLimitingOptions.MaxLeaseTokens"/>, at least 1 (no lease: every request asks Redis).
/// </summary>
internal sealed record RateLimitZone(string Name, long RateMilli, long BurstMilli, int MaxLeaseTokens = 1)
{
    public static RateLimitZone From(string name, RateLimitZoneOptions options) =>
        new(name, (long)Math.Round(options.RequestsPerSecond * 1000), options.Burst * 1000L);

    public static RateLimitZone From(string name, RateLimitZoneOptions options, RateLimitingOptions limits) =>
        From(name, options) with
        {
            MaxLeaseTokens = (int)Math.Clamp(Math.Floor(options.RequestsPerSecond * limits.LeaseLifetime.TotalSeconds), 1, limits.MaxLeaseTokens),
        };
}
