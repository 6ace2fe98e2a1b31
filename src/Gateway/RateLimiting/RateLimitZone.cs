namespace StarGuide.Gateway.RateLimiting;

/// <summary>A zone in the integer units of <see cref="Gcra"/>, with its Redis key prefix made once.</summary>
internal sealed record RateLimitZone(string Name, long RateMilli, long BurstMilli)
{
    public static RateLimitZone From(string name, RateLimitZoneOptions options) =>
        new(name, (long)Math.Round(options.RequestsPerSecond * 1000), options.Burst * 1000L);
}
