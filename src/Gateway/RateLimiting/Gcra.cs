namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// nginx's <c>limit_req</c> (ngx_http_limit_req_module.c, <c>ngx_http_limit_req_lookup</c>): the generic cell rate
/// algorithm in nginx's integer units, so that a zone admits exactly what nginx admits. <c>excess</c> is in
/// thousandths of a request; a rate of R r/s drains R×1000 of it per second, i.e. R per millisecond.
/// </summary>
/// <remarks>The Redis script (<see cref="RedisGcraStore"/>) is the same arithmetic; keep the two in step.</remarks>
internal static class Gcra
{
    /// <summary>Evaluates one request against the state of its key.</summary>
    /// <param name="state">The key's state, or null for a key never seen (or expired).</param>
    /// <param name="nowMs">Current time, milliseconds.</param>
    /// <param name="rateMilli">Requests per second × 1000.</param>
    /// <param name="burstMilli">Burst × 1000.</param>
    public static GcraResult Evaluate(GcraState? state, long nowMs, long rateMilli, long burstMilli)
    {
        var result = Take(state, nowMs, rateMilli, burstMilli, 1);
        return new GcraResult(result.Granted > 0, result.State, result.RetryAfterMs);
    }

    /// <summary>
    /// Up to <paramref name="tokens"/> requests at the same instant, as that many calls of <see cref="Evaluate"/> in a
    /// row would decide them: the first drains and clamps, each further one adds 1000 while it fits in the burst.
    /// What a lease (<see cref="RateLimitLease"/>) takes from the shared budget in one go.
    /// </summary>
    public static GcraTake Take(GcraState? state, long nowMs, long rateMilli, long burstMilli, long tokens)
    {
        long excess;
        if (state is not { } previous)
        {
            excess = 0;
        }
        else
        {
            var elapsed = Math.Max(0, nowMs - previous.LastMs);
            excess = Math.Max(0, previous.Excess - (rateMilli * elapsed / 1000) + 1000);
            if (excess > burstMilli)
            {
                // Rejected requests leave the state alone, as in nginx.
                var waitMs = (excess - burstMilli) * 1000 / rateMilli;
                return new GcraTake(0, previous, waitMs);
            }
        }
        var granted = Math.Min(tokens, 1 + ((burstMilli - excess) / 1000));
        return new GcraTake(granted, new GcraState(excess + ((granted - 1) * 1000), nowMs), 0);
    }

    /// <summary>How long an idle key must be kept: until its excess has drained to zero, plus a second.</summary>
    public static long KeyLifetimeMs(long rateMilli, long burstMilli) => ((burstMilli + 1000) * 1000 / rateMilli) + 1000;
}

/// <summary>A key's state: the excess (thousandths of a request) and when it was last updated (ms).</summary>
internal readonly record struct GcraState(long Excess, long LastMs);

/// <summary>The verdict on one request and the state to keep; <see cref="RetryAfterMs"/> is set when rejected.</summary>
internal readonly record struct GcraResult(bool Allowed, GcraState State, long RetryAfterMs);

/// <summary>How many of the requested tokens were granted (0: refused, then <see cref="RetryAfterMs"/> is set).</summary>
internal readonly record struct GcraTake(long Granted, GcraState State, long RetryAfterMs);
