using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>
/// Leases and remembered refusals with real gateways and a Redis of their own (its command counts are this test's):
/// the budget stays shared, round trips drop, and an outage in the middle of a lease is no 5xx.
/// </summary>
public sealed class RateLimitLeaseThroughGatewayTests : WithUpstreamsAndOwnRedis
{
    [Fact]
    public async Task Two_replicas_under_a_flood_admit_no_more_than_one_budget_and_refuse_mostly_without_redis()
    {
        // 5 r/s, burst 5, leases up to 5 × 0.4 s = 2 tokens; the flood is what a loaded machine manages, far above 5 r/s.
        var settings = Settings(requestsPerSecond: 5, burst: 5, lifetime: "00:00:00.400", maxLease: 100);
        await using var first = KestrelGateway.Start(settings);
        await using var second = KestrelGateway.Start(settings);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString + ",allowAdmin=true");
        var callsBefore = await ScriptCallsAsync(redis);

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(new[] { first, second }.SelectMany(gateway => Enumerable.Range(0, 6).Select(async _ =>
        {
            var statuses = new List<HttpStatusCode>();
            // At least 15 each: on a busy machine 2 s may be too few requests for a flood.
            while (clock.Elapsed < TimeSpan.FromSeconds(2) || statuses.Count < 15)
            {
                statuses.Add((await gateway.Client.GetAsync("/api/stars")).StatusCode);
            }
            return (Gateway: gateway, Statuses: statuses);
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var calls = await ScriptCallsAsync(redis) - callsBefore;

        var all = results.SelectMany(r => r.Statuses).ToList();
        Assert.DoesNotContain(all, s => s is not HttpStatusCode.OK and not HttpStatusCode.TooManyRequests);
        Assert.All(new[] { first, second }, gateway => Assert.Contains(HttpStatusCode.TooManyRequests,
            results.Where(r => r.Gateway == gateway).SelectMany(r => r.Statuses)));
        var admitted = all.Count(s => s == HttpStatusCode.OK);
        // Every token was granted by Redis between the first request and the last answer: one budget over that time.
        var budget = 1 + 5 + (5 * seconds) + 1;
        Assert.True(admitted <= budget, $"{admitted} admitted in {seconds:F2} s by two replicas; one budget is {budget:F0}");
        // (At most 2.5 s counts: the last answer may come late on a busy machine, the budget stopped at 2 s of sending.)
        Assert.True(admitted >= 5 * Math.Min(seconds, 2.5) / 2, $"only {admitted} admitted in {seconds:F2} s at 5 r/s");
        // A refusal is remembered until Redis's retry time (on average half of 1/rate): a flood costs each replica a few
        // calls per admitted request's worth of time, however many requests it sends.
        var most = (2 * 3 * 5 * seconds) + 20;
        Assert.True(calls <= most && calls < all.Count / 2,
            $"{calls} Redis calls for {all.Count} requests in {seconds:F2} s: at most {most:F0} expected, refusals known locally");
    }

    [Fact]
    public async Task A_fast_client_is_admitted_from_leases_and_a_redis_outage_mid_lease_is_no_5xx()
    {
        if (!Redis.SupportsOutages)
        {
            Assert.Fail($"this test stops Redis, which needs one the tests started (got '{Redis.Source}')");
        }
        // Leases live a minute (the most allowed): the 300 requests below must not outlast one on a busy machine.
        var settings = Settings(requestsPerSecond: 10_000, burst: 100, lifetime: "00:01:00", maxLease: 50);
        await using var gateway = KestrelGateway.Start(settings);
        var limiter = gateway.Services.GetRequiredService<ClientRateLimiter>();
        var leases = gateway.Services.GetRequiredService<RateLimitLeases>();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString + ",allowAdmin=true");
        var callsBefore = await ScriptCallsAsync(redis);

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/api/stars")).StatusCode);
        }
        var calls = await ScriptCallsAsync(redis) - callsBefore;
        // Leases of 1, 2, 4 … 32, then 50 each: 12 calls for 300 requests (the answers to /api/stars were sequential).
        Assert.InRange(calls, 1, 20);

        for (var i = 0; i < 100 && leases.TokensHeld("api", IPAddress.Loopback) < 2; i++)
        {
            await gateway.Client.GetAsync("/api/stars");
        }
        var held = leases.TokensHeld("api", IPAddress.Loopback);
        Assert.True(held >= 2, $"the gateway holds {held} tokens of the client's budget");

        // The tokens in hand are spent without Redis. (The lease's background refill, asked when a quarter is left, may
        // be what finds Redis gone first; none of these requests waits for it.)
        await Redis.StopAsync();
        for (var i = 0; i < held; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/api/stars")).StatusCode);
        }

        var after = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => gateway.Client.GetAsync("/api/stars")));
        Assert.All(after, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(limiter.InFallback, "once the lease was spent the requests should have been decided in process");
    }

    private Dictionary<string, string?> Settings(int requestsPerSecond, int burst, string lifetime, int maxLease)
    {
        var settings = KestrelGateway.Pools(Backend, Frontend).WithPatientTries();
        settings["ConnectionStrings:redis"] = Redis.ConnectionString;
        settings["Gateway:RateLimiting:KeyPrefix"] = Guid.NewGuid().ToString("N");
        settings["Gateway:RateLimiting:Zones:api:RequestsPerSecond"] = requestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:RateLimiting:Zones:api:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:RateLimiting:LeaseLifetime"] = lifetime;
        settings["Gateway:RateLimiting:MaxLeaseTokens"] = maxLease.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // One shared budget is what these tests count: a loaded machine must not push a call past the timeout into the
        // per-replica fallback.
        settings["Gateway:RateLimiting:RedisTimeout"] = "00:00:05";
        return settings;
    }

    private static async Task<long> ScriptCallsAsync(ConnectionMultiplexer redis)
    {
        var info = await redis.GetServer(redis.GetEndPoints()[0]).InfoRawAsync("commandstats") ?? "";
        return info.Split('\n')
            .Where(line => line.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
            .Sum(line => long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
