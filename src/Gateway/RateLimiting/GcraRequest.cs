using StackExchange.Redis;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// One request to decide: its client's key in a zone, the zone's rate and burst (both ×1000), and how many requests
/// to take at once (1, or a lease's size: <see cref="Gcra.Take"/>).
/// </summary>
internal record GcraRequest(RedisKey Key, long RateMilli, long BurstMilli, int Tokens = 1);

/// <summary>Requests granted (0: refused, and <see cref="RetryAfterMs"/> says for how long at least).</summary>
internal readonly record struct GcraGrant(long Granted, long RetryAfterMs)
{
    public bool Allowed => Granted > 0;
}
