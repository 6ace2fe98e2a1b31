namespace StarGuide.Gateway.RateLimiting;

/// <summary>One rate-limit zone: nginx <c>limit_req_zone … rate=R</c> with <c>limit_req … burst=B nodelay</c>.</summary>
public sealed class RateLimitZoneOptions
{
    /// <summary>Sustained rate, requests per second (nginx <c>rate=10r/s</c>); fractions allowed (0.5 = 30 r/m).</summary>
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests admitted at once above the rate (nginx <c>burst</c>); with nodelay, 1 + Burst at once.</summary>
    public int Burst { get; set; } = 20;
}
