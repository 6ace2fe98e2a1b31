using System.Net;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// Decides one request against its client's budget in a zone: in Redis (shared by every gateway replica) while Redis
/// answers, in process (same rules, per replica) while it does not. Never throws for a Redis failure: an outage must
/// not turn into 5xx. After a failure Redis is left alone for <see cref="RateLimitingOptions.RedisRetryInterval"/>,
/// so that requests do not each wait for a timeout, then tried again by the next request. Most requests are decided
/// without Redis from what this replica already knows of the client's budget (<see cref="RateLimitLease"/>): tokens
/// leased from it, or a refusal that still holds.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting: its partitioned limiters keep each client's state in the
/// process; here the state is one Redis hash per client and zone, read and written by one script call.
/// </remarks>
internal sealed partial class ClientRateLimiter(
    RedisGcraBatcher redis,
    RateLimitLeases leases,
    InProcessGcraStore local,
    IOptions<RateLimitingOptions> options,
    RateLimitingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ClientRateLimiter> logger)
{
    private readonly RateLimitingOptions _options = options.Value;
    private long _redisRetryAtTicks;

    /// <summary>True while decisions are taken in process because Redis failed.</summary>
    public bool InFallback => Volatile.Read(ref _redisRetryAtTicks) != 0;

    public ValueTask<RateLimitDecision> DecideAsync(RateLimitZone zone, IPAddress client)
    {
        var now = leases.Now();
        var lease = leases.For(zone, client, now);
        var known = lease.TryTake(now, zone.MaxLeaseTokens);
        return known.Outcome switch
        {
            LeaseOutcome.Admitted => known.Tokens == 0 ? ValueTask.FromResult(new RateLimitDecision(true, 0)) : Refill(zone, client, lease, known.Tokens),
            LeaseOutcome.Refused => ValueTask.FromResult(new RateLimitDecision(false, (known.Ticks * 1000) / leases.TicksPerSecond)),
            LeaseOutcome.WaitForAnswer => DecideAfterAsync(known.Answered!, zone, client),
            _ => AskAsync(zone, client, lease, known),
        };
    }

    private async ValueTask<RateLimitDecision> DecideAfterAsync(Task answered, RateLimitZone zone, IPAddress client)
    {
        await answered;
        return await DecideAsync(zone, client);
    }

    /// <summary>Admitted from the lease; its next tokens are asked for meanwhile, and nobody waits for the answer.</summary>
    private ValueTask<RateLimitDecision> Refill(RateLimitZone zone, IPAddress client, RateLimitLease lease, int tokens)
    {
        _ = RefillAsync(new GcraRequest(Key(zone, client), zone.RateMilli, zone.BurstMilli, tokens), lease);
        return ValueTask.FromResult(new RateLimitDecision(true, 0));
    }

    private async Task RefillAsync(GcraRequest request, RateLimitLease lease)
    {
        if (ShouldTryRedis())
        {
            try
            {
                await redis.RefillAsync(request, lease);
                LeaveFallback();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                EnterFallback(ex);
            }
            catch (Exception ex)
            {
                // Nobody awaits this task: an unexpected failure is logged here, and the lease freed below.
                LogRefillFailed(logger, ex);
            }
        }
        // The requests that run out meanwhile ask (or decide in process) themselves.
        lease.Abandon(asking: true);
    }

    private string Key(RateLimitZone zone, IPAddress client) => $"{_options.KeyPrefix}:{zone.Name}:{client}";

    private async ValueTask<RateLimitDecision> AskAsync(RateLimitZone zone, IPAddress client, RateLimitLease lease, LeaseDecision ask)
    {
        var key = Key(zone, client);
        if (ShouldTryRedis())
        {
            try
            {
                var decision = await redis.EvaluateAsync(new GcraRequest(key, zone.RateMilli, zone.BurstMilli, ask.Tokens), lease, ask.Asking);
                LeaveFallback();
                return decision;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                EnterFallback(ex);
            }
            catch
            {
                lease.Abandon(ask.Asking); // or the requests waiting for this answer would wait for good
                throw;
            }
        }
        lease.Abandon(ask.Asking);
        var (localAllowed, localRetryMs) = local.Evaluate(key, zone.RateMilli, zone.BurstMilli);
        return new RateLimitDecision(localAllowed, localRetryMs);
    }

    private bool ShouldTryRedis()
    {
        if (!redis.IsConnected)
        {
            EnterFallback(null);
            return false;
        }
        var retryAt = Volatile.Read(ref _redisRetryAtTicks);
        return retryAt == 0 || timeProvider.GetUtcNow().UtcTicks >= retryAt;
    }

    private void EnterFallback(Exception? cause)
    {
        var retryAt = timeProvider.GetUtcNow().Add(_options.RedisRetryInterval).UtcTicks;
        if (Interlocked.Exchange(ref _redisRetryAtTicks, retryAt) == 0)
        {
            metrics.SetFallback(true);
            LogFallback(logger, cause, cause?.Message ?? "not connected");
        }
    }

    private void LeaveFallback()
    {
        if (Volatile.Read(ref _redisRetryAtTicks) != 0 && Interlocked.Exchange(ref _redisRetryAtTicks, 0) != 0)
        {
            metrics.SetFallback(false);
            LogBackOnRedis(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable ({Cause}): rate limits are enforced per gateway replica until it answers again")]
    private static partial void LogFallback(ILogger logger, Exception? ex, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Asking Redis for a client's next rate-limit lease failed; its requests ask again when the lease runs out")]
    private static partial void LogRefillFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are shared by every gateway replica")]
    private static partial void LogBackOnRedis(ILogger logger);
}
