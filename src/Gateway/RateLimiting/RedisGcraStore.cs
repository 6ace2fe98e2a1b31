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
    // request ARGV[4i-2] rate×1000, ARGV[4i-1] burst×1000, ARGV[4i] key lifetime ms, ARGV[4i+1] tokens wanted.
    // Returns {granted (0 = refused), retry-after ms} per request. Same arithmetic as Gcra.Take.
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
          local rate = tonumber(ARGV[4 * i - 2])
          local burst = tonumber(ARGV[4 * i - 1])
          local s = redis.call('HMGET', KEYS[i], 'e', 'l')
          local excess = 0
          local granted = 0
          local retry = 0
          if s[1] then
            local elapsed = now - tonumber(s[2])
            if elapsed < 0 then elapsed = 0 end
            excess = tonumber(s[1]) - math.floor(rate * elapsed / 1000) + 1000
            if excess < 0 then excess = 0 end
          end
          if excess > burst then
            retry = math.floor((excess - burst) * 1000 / rate)
          else
            granted = math.min(tonumber(ARGV[4 * i + 1]), 1 + math.floor((burst - excess) / 1000))
            redis.call('HSET', KEYS[i], 'e', excess + (granted - 1) * 1000, 'l', now)
            redis.call('PEXPIRE', KEYS[i], ARGV[4 * i])
          end
          out[2 * i - 1] = granted
          out[2 * i] = retry
        end
        return out
        """;

    public bool IsConnected => redis.IsConnected;

    /// <summary>Decides the requests in order, in one script call on Redis's clock.</summary>
    public Task<GcraGrant[]> EvaluateAsync(IReadOnlyList<GcraRequest> requests) =>
        EvaluateAsync(requests, RedisValue.EmptyString);

    /// <summary>For tests: the script on a clock of the caller's, to compare it with <see cref="Gcra"/> exactly.</summary>
    internal async Task<GcraGrant> EvaluateAtAsync(RedisKey key, long rateMilli, long burstMilli, long nowMs, int tokens = 1) =>
        (await EvaluateAsync([new GcraRequest(key, rateMilli, burstMilli, tokens)], nowMs))[0];

    internal Task<GcraGrant[]> EvaluateAtAsync(IReadOnlyList<GcraRequest> requests, long nowMs) =>
        EvaluateAsync(requests, nowMs);

    private async Task<GcraGrant[]> EvaluateAsync(IReadOnlyList<GcraRequest> requests, RedisValue now)
    {
        var keys = new RedisKey[requests.Count];
        var arguments = new RedisValue[1 + 4 * requests.Count];
        arguments[0] = now;
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            keys[i] = request.Key;
            arguments[1 + 4 * i] = request.RateMilli;
            arguments[2 + 4 * i] = request.BurstMilli;
            arguments[3 + 4 * i] = Gcra.KeyLifetimeMs(request.RateMilli, request.BurstMilli);
            arguments[4 + 4 * i] = request.Tokens;
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, arguments))!;
        var grants = new GcraGrant[requests.Count];
        for (var i = 0; i < grants.Length; i++)
        {
            grants[i] = new GcraGrant((long)result[2 * i], (long)result[2 * i + 1]);
        }
        return grants;
    }
}
