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
        if (state is not { } previous)
        {
            return new GcraResult(true, new GcraState(0, nowMs), 0);
        }

        var elapsed = Math.Max(0, nowMs - previous.LastMs);
        var excess = Math.Max(0, previous.Excess - (rateMilli * elapsed / 1000) + 1000);
        if (excess > burstMilli)
        {
            // Rejected requests leave the state alone, as in nginx.
            var waitMs = (excess - burstMilli) * 1000 / rateMilli;
            return new GcraResult(false, previous, waitMs);
        }
        return new GcraResult(true, new GcraState(excess, nowMs), 0);
    }

    /// <summary>How long an idle key must be kept: until its excess has drained to zero, plus a second.</summary>
    public static long KeyLifetimeMs(long rateMilli, long burstMilli) => ((burstMilli + 1000) * 1000 / rateMilli) + 1000;
}

/// <summary>A key's state: the excess (thousandths of a request) and when it was last updated (ms).</summary>
internal readonly record struct GcraState(long Excess, long LastMs);

/// <summary>The verdict on one request and the state to keep; <see cref="RetryAfterMs"/> is set when rejected.</summary>
internal readonly record struct GcraResult(bool Allowed, GcraState State, long RetryAfterMs);
