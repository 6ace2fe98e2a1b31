using StackExchange.Redis;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// <see cref="Gcra"/> in Redis: one script call decides a batch of requests, each atomically and in order (a key may
/// appear more than once), on Redis's clock (so that replicas whose clocks differ still share one budget), with a TTL
/// so that idle keys disappear. StackExchange.Redis sends the script by SHA after the first call. <c>TIME</c> before a
/// write needs Redis 5 or newer (effects replication).
/// </summary>
internal sealed class RedisGcraStore(IConnectionMultiplexer redis)
{
    // KEYS[i] the i-th request's key; ARGV[1] the time in ms, or '' for Redis's own (tests set it); for the i-th
    // request ARGV[3i-1] rate×1000, ARGV[3i] burst×1000, ARGV[3i+1] key lifetime ms.
    // Returns {allowed (1/0), retry-after ms} per request. Same arithmetic as Gcra.Evaluate.
    private const string Script = """
        local now
        if ARGV[1] ~= '' then
          now = tonumber(ARGV[1])
        else
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local out = {}
        for i = 1, #KEYS do
          local rate = tonumber(ARGV[3 * i - 1])
          local burst = tonumber(ARGV[3 * i])
          local s = redis.call('HMGET', KEYS[i], 'e', 'l')
          local excess = 0
          local allowed = 1
          local retry = 0
          if s[1] then
            local elapsed = now - tonumber(s[2])
            if elapsed < 0 then elapsed = 0 end
            excess = tonumber(s[1]) - math.floor(rate * elapsed / 1000) + 1000
            if excess < 0 then excess = 0 end
            if excess > burst then
              allowed = 0
              retry = math.floor((excess - burst) * 1000 / rate)
            end
          end
          if allowed == 1 then
            redis.call('HSET', KEYS[i], 'e', excess, 'l', now)
            redis.call('PEXPIRE', KEYS[i], ARGV[3 * i + 1])
          end
          out[2 * i - 1] = allowed
          out[2 * i] = retry
        end
        return out
        """;

    public bool IsConnected => redis.IsConnected;

    /// <summary>Decides the requests in order, in one script call on Redis's clock.</summary>
    public Task<(bool Allowed, long RetryAfterMs)[]> EvaluateAsync(IReadOnlyList<GcraRequest> requests) =>
        EvaluateAsync(requests, RedisValue.EmptyString);

    /// <summary>For tests: the script on a clock of the caller's, to compare it with <see cref="Gcra"/> exactly.</summary>
    internal async Task<(bool Allowed, long RetryAfterMs)> EvaluateAtAsync(RedisKey key, long rateMilli, long burstMilli, long nowMs) =>
        (await EvaluateAsync([new GcraRequest(key, rateMilli, burstMilli)], nowMs))[0];

    internal Task<(bool Allowed, long RetryAfterMs)[]> EvaluateAtAsync(IReadOnlyList<GcraRequest> requests, long nowMs) =>
        EvaluateAsync(requests, nowMs);

    private async Task<(bool Allowed, long RetryAfterMs)[]> EvaluateAsync(IReadOnlyList<GcraRequest> requests, RedisValue now)
    {
        var keys = new RedisKey[requests.Count];
        var arguments = new RedisValue[1 + 3 * requests.Count];
        arguments[0] = now;
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            keys[i] = request.Key;
            arguments[1 + 3 * i] = request.RateMilli;
            arguments[2 + 3 * i] = request.BurstMilli;
            arguments[3 + 3 * i] = Gcra.KeyLifetimeMs(request.RateMilli, request.BurstMilli);
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, arguments))!;
        var decisions = new (bool Allowed, long RetryAfterMs)[requests.Count];
        for (var i = 0; i < decisions.Length; i++)
        {
            decisions[i] = ((long)result[2 * i] == 1, (long)result[2 * i + 1]);
        }
        return decisions;
    }
}
