using StarGuide.Gateway.RateLimiting;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>The arithmetic of nginx's limit_req (rate=R burst=B nodelay), request by request.</summary>
public class GcraTests
{
    private static int Admitted(ref GcraState? state, long nowMs, int requests, RateLimitZone zone)
    {
        var admitted = 0;
        for (var i = 0; i < requests; i++)
        {
            var result = Gcra.Evaluate(state, nowMs, zone.RateMilli, zone.BurstMilli);
            state = result.State;
            admitted += result.Allowed ? 1 : 0;
        }
        return admitted;
    }

    [Fact]
    public void Burst_of_40_from_one_client_admits_21_then_11_more_after_1100_ms()
    {
        var api = RateLimitZone.From("api", new RateLimitZoneOptions { RequestsPerSecond = 10, Burst = 20 });
        GcraState? state = null;

        Assert.Equal(21, Admitted(ref state, 1_000_000, 40, api));
        Assert.Equal(11, Admitted(ref state, 1_001_100, 40, api));
    }

    [Theory]
    [InlineData(5, 10, 11)]
    [InlineData(2, 5, 6)]
    [InlineData(1, 0, 1)]
    public void Simultaneous_requests_admit_one_plus_burst(double rate, int burst, int expected)
    {
        var zone = RateLimitZone.From("z", new RateLimitZoneOptions { RequestsPerSecond = rate, Burst = burst });
        GcraState? state = null;

        Assert.Equal(expected, Admitted(ref state, 5_000, 50, zone));
    }

    [Fact]
    public void Steady_traffic_at_the_rate_is_never_refused()
    {
        var ai = RateLimitZone.From("ai", new RateLimitZoneOptions { RequestsPerSecond = 2, Burst = 0 });
        GcraState? state = null;

        for (var t = 0L; t < 60_000; t += 500)
        {
            Assert.Equal(1, Admitted(ref state, t, 1, ai));
        }
    }

    [Fact]
    public void Refusal_leaves_the_state_alone_and_says_how_long_to_wait()
    {
        var api = RateLimitZone.From("api", new RateLimitZoneOptions { RequestsPerSecond = 10, Burst = 20 });
        GcraState? state = null;
        Admitted(ref state, 0, 21, api);

        var refused = Gcra.Evaluate(state, 0, api.RateMilli, api.BurstMilli);

        Assert.False(refused.Allowed);
        Assert.Equal(state, refused.State);
        Assert.Equal(100, refused.RetryAfterMs);
        Assert.True(Gcra.Evaluate(state, 100, api.RateMilli, api.BurstMilli).Allowed);
    }

    [Fact]
    public void Taking_n_at_once_grants_what_n_requests_at_that_instant_would_get()
    {
        var random = new Random(20261130);
        GcraState? one = null;
        GcraState? many = null;
        var now = 0L;

        for (var step = 0; step < 2_000; step++)
        {
            now += random.Next(0, 1_500);
            var tokens = random.Next(1, 30);
            var admitted = 0L;
            GcraResult last = default;
            for (var i = 0; i < tokens; i++)
            {
                last = Gcra.Evaluate(one, now, 4_000, 12_000);
                one = last.State;
                admitted += last.Allowed ? 1 : 0;
            }

            var take = Gcra.Take(many, now, 4_000, 12_000, tokens);
            many = take.State;

            Assert.Equal(admitted, take.Granted);
            Assert.Equal(one, many);
            if (admitted == 0)
            {
                Assert.Equal(last.RetryAfterMs, take.RetryAfterMs);
            }
        }
    }
}
