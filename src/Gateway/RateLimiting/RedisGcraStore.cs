using StackExchange.Redis;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// <see cref="Gcra"/> in Redis: one script call per request, atomic, on Redis's clock (so that replicas whose clocks
/// differ still share one budget), with a TTL so that idle keys disappear. StackExchange.Redis sends the script by
/// SHA after the first call. <c>TIME</c> before a write needs Redis 5 or newer (effects replication).
/// </summary>
internal sealed class RedisGcraStore(IConnectionMultiplexer redis)
{
    // KEYS[1] key; ARGV[1] rate×1000; ARGV[2] burst×1000; ARGV[3] key lifetime ms; ARGV[4] (tests only) the time.
    // Returns {allowed (1/0), retry-after ms}. Same arithmetic as Gcra.Evaluate.
    private const string Script = """
        local now
        if ARGV[4] then
          now = tonumber(ARGV[4])
        else
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local s = redis.call('HMGET', KEYS[1], 'e', 'l')
        local excess = 0
        if s[1] then
          local elapsed = now - tonumber(s[2])
          if elapsed < 0 then elapsed = 0 end
          excess = tonumber(s[1]) - math.floor(rate * elapsed / 1000) + 1000
          if excess < 0 then excess = 0 end
          if excess > burst then
            return {0, math.floor((excess - burst) * 1000 / rate)}
          end
        end
        redis.call('HSET', KEYS[1], 'e', excess, 'l', now)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {1, 0}
        """;

    public bool IsConnected => redis.IsConnected;

    public Task<(bool Allowed, long RetryAfterMs)> EvaluateAsync(RedisKey key, long rateMilli, long burstMilli) =>
        EvaluateAsync(key, [rateMilli, burstMilli, Gcra.KeyLifetimeMs(rateMilli, burstMilli)]);

    /// <summary>For tests: the script on a clock of the caller's, to compare it with <see cref="Gcra"/> exactly.</summary>
    internal Task<(bool Allowed, long RetryAfterMs)> EvaluateAtAsync(RedisKey key, long rateMilli, long burstMilli, long nowMs) =>
        EvaluateAsync(key, [rateMilli, burstMilli, Gcra.KeyLifetimeMs(rateMilli, burstMilli), nowMs]);

    private async Task<(bool Allowed, long RetryAfterMs)> EvaluateAsync(RedisKey key, RedisValue[] arguments)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], arguments))!;
        return ((long)result[0] == 1, (long)result[1]);
    }
}
