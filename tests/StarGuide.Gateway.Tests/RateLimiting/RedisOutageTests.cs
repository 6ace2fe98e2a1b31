using System.Net;
using StackExchange.Redis;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>Redis stops in the middle: no 5xx, limits still enforced per replica, back on Redis when it returns.</summary>
public sealed class RedisOutageTests : WithUpstreamsAndOwnRedis
{
    [Fact]
    public async Task Redis_outage_never_turns_into_5xx_and_limits_hold_until_redis_returns()
    {
        if (!Redis.SupportsOutages)
        {
            Assert.Fail($"this test stops and restarts Redis, which needs one the tests started (got '{Redis.Source}')");
        }
        var settings = KestrelGateway.Pools(Backend, Frontend).WithPatientTries();
        settings["ConnectionStrings:redis"] = Redis.ConnectionString;
        settings["Gateway:RateLimiting:Zones:api:RequestsPerSecond"] = "0.1";
        settings["Gateway:RateLimiting:Zones:auth:RequestsPerSecond"] = "0.1";
        settings["Gateway:RateLimiting:RedisRetryInterval"] = "00:00:00.200";
        // A stopped Redis refuses connections at once; a slow answer on a loaded machine must not count as an outage
        // (it would put the "before" requests on the per-replica budget and admit more than 21).
        settings["Gateway:RateLimiting:RedisTimeout"] = "00:00:05";
        await using var gateway = KestrelGateway.Start(settings);
        var limiter = gateway.Services.GetRequiredService<ClientRateLimiter>();

        Assert.Equal(21, await AdmittedOf40Async(gateway, "/api/before"));
        Assert.False(limiter.InFallback);

        await Redis.StopAsync();
        var during = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => gateway.Client.GetAsync("/api/auth/during")));
        Assert.DoesNotContain(during, r => (int)r.StatusCode >= 500);
        Assert.True(limiter.InFallback);
        // The in-process limiter starts this client afresh in a zone Redis had not refused it in: one burst (auth: 10).
        Assert.Equal(11, during.Count(r => r.StatusCode == HttpStatusCode.OK));
        // Where Redis had refused it (api, for 10 s), the refusal still holds: it was a fact about the shared budget.
        var stillRefused = await gateway.Client.GetAsync("/api/during");
        Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);

        await Redis.StartAgainAsync();
        await using var direct = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (limiter.InFallback && DateTime.UtcNow < deadline)
        {
            await gateway.Client.GetAsync("/api/health");
            await gateway.Client.GetAsync("/api/auth/after");
            await Task.Delay(100);
        }
        Assert.False(limiter.InFallback, "the gateway did not go back to Redis within 20 s of its return");
        Assert.True(await direct.GetDatabase().KeyExistsAsync("starguide:rl:auth:127.0.0.1"),
            "after Redis returned the budget should live in Redis again");
    }

    private static async Task<int> AdmittedOf40Async(KestrelGateway gateway, string path)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => gateway.Client.GetAsync(path)));
        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        return responses.Count(r => r.StatusCode == HttpStatusCode.OK);
    }
}
