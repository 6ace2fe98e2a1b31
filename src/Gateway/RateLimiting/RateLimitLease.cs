namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// What this replica knows of one client's budget in one zone, so that most requests need no Redis round trip:
/// <list type="bullet">
/// <item>tokens leased from the shared budget (<see cref="Gcra.Take"/> of several at once), spent one per request until
/// they run out or <see cref="RateLimitingOptions.LeaseLifetime"/> after the lease was asked for; unspent ones lapse
/// (they were charged to the client in Redis, as requests that came early);</item>
/// <item>a refusal: Redis said "not before <c>t</c>"; until then every request is refused here. Exact, not an estimate:
/// an excess only drains at the rate, so nothing any replica does can make a request admissible sooner.</item>
/// </list>
/// A lease starts at one token (every request asks Redis, as without leases) and doubles, up to the zone's
/// <see cref="RateLimitZone.MaxLeaseTokens"/>, each time the previous one was spent before it lapsed: only a client that
/// sends that fast gets a larger lease. One request per key asks Redis at a time; requests that miss meanwhile wait for
/// its answer and look again (asking for a token each instead put nearly every request of a client with many concurrent
/// connections back on Redis: docs/measurements.md). A lease of <see cref="RefillFrom"/> tokens or more asks for the next
/// one when a quarter of it is left, in the background (<see cref="LeaseDecision.Refill"/>), so that a steady client's
/// requests do not wait for Redis each time a lease runs out; what that answer grants is kept apart, with its own
/// lifetime, and spent once the current lease is.
/// </summary>
/// <remarks>
/// The bound (docs/gateway.md): a token is spent at most a lifetime after Redis granted it, and Redis grants only what
/// nginx's arithmetic admits, so over any interval all replicas together admit at most what nginx would over that
/// interval plus one lifetime: at most rate × lifetime requests more, which is what caps a lease's size.
/// Times are <see cref="TimeProvider.GetTimestamp"/> ticks.
/// </remarks>
internal sealed class RateLimitLease(long lifetimeTicks)
{
    /// <summary>The smallest lease that asks for its successor before it runs out.</summary>
    internal const int RefillFrom = 8;

    private int _tokens;
    private long _expires;
    private int _nextTokens; // granted by a refill while the current lease still had tokens
    private long _nextExpires;
    private long _refusedUntil;
    private int _size;
    private bool _asking;
    private TaskCompletionSource? _answered;

    /// <summary>
    /// Spends a leased token (and may ask for the next lease in the background), refuses from a known refusal, or says
    /// how many tokens to ask Redis for.
    /// </summary>
    public LeaseDecision TryTake(long now, int maxTokens)
    {
        lock (this)
        {
            if ((_tokens == 0 || now >= _expires) && _nextTokens > 0)
            {
                (_tokens, _expires, _nextTokens) = (now < _nextExpires ? _nextTokens : 0, _nextExpires, 0);
            }
            if (_tokens > 0 && now < _expires)
            {
                _tokens--;
                if (_asking || _size < RefillFrom || _tokens > _size / 4 || _nextTokens > 0)
                {
                    return LeaseDecision.Admit;
                }
                // Three quarters spent within the first half of the lifetime: the client would outrun a lease this size.
                if (_expires - now > lifetimeTicks / 2)
                {
                    _size = Math.Min(maxTokens, _size * 2);
                }
                _asking = true;
                _answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return LeaseDecision.Refill(_size);
            }
            if (now < _refusedUntil)
            {
                return LeaseDecision.Refuse(_refusedUntil - now);
            }
            _tokens = 0;
            if (_asking)
            {
                // Without leases (a slow zone) the answer would bring nothing to share: ask alongside, as before leases.
                return maxTokens > 1 ? LeaseDecision.Wait(_answered!.Task) : LeaseDecision.Ask(1, asking: false);
            }
            // Spent before it lapsed: the client is at least that fast, so the next lease may be twice as large.
            _size = _size > 0 && now < _expires ? Math.Min(maxTokens, _size * 2) : 1;
            _asking = true;
            _answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return LeaseDecision.Ask(_size, asking: true);
        }
    }

    /// <summary>
    /// Redis's answer to a request that asked at <paramref name="sentAt"/>: keeps the granted tokens beyond the one this
    /// request spends, or remembers the refusal. A refused request may still spend a token that an earlier answer of the
    /// same batch left here: the budget Redis refused from is the one this replica holds.
    /// </summary>
    public RateLimitDecision Settle(GcraGrant grant, bool asking, long sentAt, long now, long ticksPerSecond)
    {
        TaskCompletionSource? answered = null;
        try
        {
            lock (this)
            {
                if (asking)
                {
                    (_asking, answered, _answered) = (false, _answered, null);
                    _expires = sentAt + lifetimeTicks;
                }
                return SettleLocked(grant, sentAt, now, ticksPerSecond);
            }
        }
        finally
        {
            answered?.TrySetResult();
        }
    }

    /// <summary>
    /// Redis's answer to a refill asked at <paramref name="sentAt"/> by a request that was admitted from the current
    /// lease: every granted token is kept (with its own lifetime, from when it was asked), or the refusal remembered;
    /// the current lease's tokens are spent first either way.
    /// </summary>
    public void SettleRefill(GcraGrant grant, long sentAt, long ticksPerSecond)
    {
        TaskCompletionSource? answered;
        lock (this)
        {
            (_asking, answered, _answered) = (false, _answered, null);
            if (grant.Granted == 0)
            {
                _refusedUntil = Math.Max(_refusedUntil, sentAt + (grant.RetryAfterMs * ticksPerSecond / 1000));
            }
            else if (_tokens > 0)
            {
                (_nextTokens, _nextExpires) = ((int)grant.Granted, sentAt + lifetimeTicks);
            }
            else
            {
                (_tokens, _expires) = ((int)grant.Granted, sentAt + lifetimeTicks);
            }
        }
        answered?.TrySetResult();
    }

    private RateLimitDecision SettleLocked(GcraGrant grant, long sentAt, long now, long ticksPerSecond)
    {
        if (grant.Granted > 0)
        {
            if (grant.Granted > 1)
            {
                _expires = _tokens > 0 ? Math.Min(_expires, sentAt + lifetimeTicks) : sentAt + lifetimeTicks;
                _tokens += (int)(grant.Granted - 1);
            }
            return new RateLimitDecision(true, 0);
        }
        if (_tokens > 0 && now < _expires)
        {
            _tokens--;
            return new RateLimitDecision(true, 0);
        }
        // From when it was asked: Redis decided later than that, so the refusal here ends no later than there.
        _refusedUntil = Math.Max(_refusedUntil, sentAt + (grant.RetryAfterMs * ticksPerSecond / 1000));
        return new RateLimitDecision(false, grant.RetryAfterMs);
    }

    /// <summary>The request that asked got no answer from Redis: the next miss may ask again.</summary>
    public void Abandon(bool asking)
    {
        if (!asking)
        {
            return;
        }
        TaskCompletionSource? answered;
        lock (this)
        {
            (_asking, answered, _answered) = (false, _answered, null);
        }
        answered?.TrySetResult();
    }

    internal int TokensHeld(long now)
    {
        lock (this)
        {
            return (now < _expires ? _tokens : 0) + (now < _nextExpires ? _nextTokens : 0);
        }
    }

    /// <summary>Nothing left to know: no tokens, no refusal, no lease request in flight.</summary>
    public bool IsIdle(long now)
    {
        lock (this)
        {
            return !_asking && now >= _expires && now >= _nextExpires && now >= _refusedUntil;
        }
    }
}

/// <summary>
/// The local verdict: admitted, refused (for <see cref="Ticks"/>), ask Redis for <see cref="Tokens"/>, or wait for the
/// answer to the request that is asking (<see cref="Answered"/>) and look again. Admitted with <see cref="Tokens"/> above
/// zero: admitted, and the caller asks Redis for the next lease of that many tokens without waiting for the answer
/// (<see cref="RateLimitLease.SettleRefill"/>, or <see cref="RateLimitLease.Abandon"/> when Redis does not answer).
/// </summary>
internal readonly record struct LeaseDecision(LeaseOutcome Outcome, long Ticks, int Tokens, bool Asking, Task? Answered = null)
{
    public static readonly LeaseDecision Admit = new(LeaseOutcome.Admitted, 0, 0, false);

    public static LeaseDecision Refuse(long ticks) => new(LeaseOutcome.Refused, ticks, 0, false);

    public static LeaseDecision Ask(int tokens, bool asking) => new(LeaseOutcome.AskRedis, 0, tokens, asking);

    public static LeaseDecision Wait(Task answered) => new(LeaseOutcome.WaitForAnswer, 0, 0, false, answered);

    public static LeaseDecision Refill(int tokens) => new(LeaseOutcome.Admitted, 0, tokens, true);
}

internal enum LeaseOutcome
{
    Admitted,
    Refused,
    AskRedis,
    WaitForAnswer,
}
