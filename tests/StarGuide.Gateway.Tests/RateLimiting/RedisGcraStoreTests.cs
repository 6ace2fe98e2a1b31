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

            Assert.Equal((expected.Allowed, expected.RetryAfterMs), actual);
        }
    }

    [Fact]
    public async Task Idle_key_expires_once_its_excess_has_drained()
    {
        var store = new RedisGcraStore(_redis);
        var key = NewKey();

        await store.EvaluateAsync(key, 10_000, 20_000);
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(key);

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(Gcra.KeyLifetimeMs(10_000, 20_000)));
    }

    private static RedisKey NewKey() => $"test:{Guid.NewGuid():N}";
}
