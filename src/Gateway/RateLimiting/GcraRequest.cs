using StackExchange.Redis;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>One request to decide: its client's key in a zone and the zone's rate and burst (both ×1000).</summary>
internal record GcraRequest(RedisKey Key, long RateMilli, long BurstMilli);
