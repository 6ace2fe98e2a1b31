using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>The Redis script against a real Redis: the same verdicts as <see cref="Gcra"/>, request by request.</summary>
public sealed class RedisGcraStoreTests(RedisFixture redisFixture) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(redisFixture.Server.ConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Script_admits_21_of_40_then_11_after_1100_ms_like_nginx()
    {
        var store = new RedisGcraStore(_redis);
        var key = NewKey();

        var first = 0;
        for (var i = 0; i < 40; i++)
        {
            first += (await store.EvaluateAtAsync(key, 10_000, 20_000, 1_000_000)).Allowed ? 1 : 0;
        }
        var second = 0;
        for (var i = 0; i < 40; i++)
        {
            second += (await store.EvaluateAtAsync(key, 10_000, 20_000, 1_001_100)).Allowed ? 1 : 0;
        }

        Assert.Equal(21, first);
        Assert.Equal(11, second);
    }

    [Fact]
    public async Task Script_and_Gcra_agree_on_a_random_walk()
    {
        var store = new RedisGcraStore(_redis);
        var key = NewKey();
        var random = new Random(20261127);
        GcraState? state = null;
        var now = 10_000L;

        for (var i = 0; i < 500; i++)
        {
            now += random.Next(0, 400);
            var expected = Gcra.Evaluate(state, now, 3_000, 4_000);
            state = expected.State;

            var actual = await store.EvaluateAtAsync(key, 3_000, 4_000, now);

            Assert.Equal((expected.Allowed, expected.RetryAfterMs), (actual.Allowed, actual.RetryAfterMs));
        }
    }

    [Fact]
    public async Task Script_and_Gcra_agree_on_leases_of_random_sizes()
    {
        var store = new RedisGcraStore(_redis);
        var key = NewKey();
        var random = new Random(20261130);
        GcraState? state = null;
        var now = 10_000L;

        for (var i = 0; i < 300; i++)
        {
            now += random.Next(0, 3_000);
            var tokens = random.Next(1, 40);
            var expected = Gcra.Take(state, now, 7_000, 25_000, tokens);
            state = expected.State;

            var actual = await store.EvaluateAtAsync(key, 7_000, 25_000, now, tokens);

            Assert.Equal(new GcraGrant(expected.Granted, expected.RetryAfterMs), actual);
        }
    }

    [Fact]
    public async Task Idle_key_expires_once_its_excess_has_drained()
    {
        var store = new RedisGcraStore(_redis);
        var key = NewKey();

        await store.EvaluateAsync([new GcraRequest(key, 10_000, 20_000)]);
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(Gcra.KeyLifetimeMs(10_000, 20_000)));
    }

    [Fact]
    public async Task One_call_deciding_many_requests_decides_each_in_order_as_separate_calls_would()
    {
        var store = new RedisGcraStore(_redis);
        var (a, b) = (NewKey(), NewKey());
        // 40 requests of client a and 30 of client b, interleaved, in one script call.
        var requests = Enumerable.Range(0, 70)
            .Select(i => new GcraRequest(i % 2 == 0 || i >= 60 ? a : b, 10_000, 20_000))
            .ToList();

        var decisions = await store.EvaluateAtAsync(requests, 1_000_000);

        var admitted = requests.Zip(decisions).GroupBy(x => x.First.Key).ToDictionary(g => g.Key, g => g.Count(x => x.Second.Allowed));
        Assert.Equal(21, admitted[a]);
        Assert.Equal(21, admitted[b]);
        // Sequential within the call: the first 21 of a were admitted, everything after was refused with a wait.
        var ofA = requests.Zip(decisions).Where(x => x.First.Key == a).Select(x => x.Second).ToList();
        Assert.All(ofA.Take(21), d => Assert.True(d.Allowed));
        Assert.All(ofA.Skip(21), d => Assert.True(!d.Allowed && d.RetryAfterMs > 0));
    }

    [Fact]
    public async Task Forty_concurrent_requests_through_the_batcher_admit_exactly_21()
    {
        using var batcher = new RedisGcraBatcher(new RedisGcraStore(_redis),
            Options.Create(new RateLimitingOptions()), TimeProvider.System);
        var key = NewKey();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40)
            // 0.1 r/s: requests that reach Redis in batches a busy machine spreads over seconds still find no new token.
            .Select(_ => Task.Run(() => batcher.EvaluateAsync(new GcraRequest(key, 100, 20_000)))));

        Assert.Equal(21, decisions.Count(d => d.Allowed));
    }

    [Fact]
    public async Task A_failed_call_fails_its_requests_at_once_instead_of_leaving_them_waiting()
    {
        var unreachable = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", Testing.FreePort.Next() } },
            AbortOnConnectFail = false,
            ConnectTimeout = 200,
        });
        await using var _ = unreachable;
        using var batcher = new RedisGcraBatcher(new RedisGcraStore(unreachable),
            Options.Create(new RateLimitingOptions { RedisTimeout = TimeSpan.FromMilliseconds(250) }), TimeProvider.System);

        var attempts = Enumerable.Range(0, 20).Select(_ => batcher.EvaluateAsync(new GcraRequest(NewKey(), 10_000, 20_000))).ToList();

        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => attempt.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(error is RedisException or TimeoutException, error.ToString());
        }
    }

    private static RedisKey NewKey() => $"test:{Guid.NewGuid():N}";
}
