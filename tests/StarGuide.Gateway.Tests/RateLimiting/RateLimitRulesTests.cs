using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Gateway.RateLimiting;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>
/// The rules around the arithmetic, without a server: what the options accept, how a zone's settings become its units
/// and lease size, the 429 a refusal answers, and the in-process store the gateway falls back to while Redis is down.
/// </summary>
public sealed class RateLimitRulesTests
{
    public static TheoryData<string, Action<RateLimitingOptions>, string?> OptionRows => new()
    {
        { "defaults", _ => { }, null },
        { "slowest rate", o => o.Zones["z"].RequestsPerSecond = 0.001, null },
        { "rate below 0.001", o => o.Zones["z"].RequestsPerSecond = 0.0009, "Gateway:RateLimiting:Zones:z:RequestsPerSecond must be at least 0.001; it is 0.0009." },
        { "rate NaN", o => o.Zones["z"].RequestsPerSecond = double.NaN, "Gateway:RateLimiting:Zones:z:RequestsPerSecond must be at least 0.001" },
        { "rate infinite", o => o.Zones["z"].RequestsPerSecond = double.PositiveInfinity, "Gateway:RateLimiting:Zones:z:RequestsPerSecond must be at least 0.001" },
        { "no burst", o => o.Zones["z"].Burst = 0, null },
        { "negative burst", o => o.Zones["z"].Burst = -1, "Gateway:RateLimiting:Zones:z:Burst must not be negative; it is -1." },
        { "blank prefix", o => o.KeyPrefix = " ", "Gateway:RateLimiting:KeyPrefix must not be empty." },
        { "zero Redis timeout", o => o.RedisTimeout = TimeSpan.Zero, "Gateway:RateLimiting:RedisTimeout must be positive" },
        { "shortest Redis timeout", o => o.RedisTimeout = TimeSpan.FromTicks(1), null },
        { "no leases", o => o.MaxLeaseTokens = 1, null },
        { "zero lease tokens", o => o.MaxLeaseTokens = 0, "Gateway:RateLimiting:MaxLeaseTokens must be at least 1" },
        { "zero lease lifetime", o => o.LeaseLifetime = TimeSpan.Zero, "Gateway:RateLimiting:LeaseLifetime must be more than 0 and at most a minute" },
        { "lease lifetime a minute", o => o.LeaseLifetime = TimeSpan.FromMinutes(1), null },
        { "lease lifetime over a minute", o => o.LeaseLifetime = TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1), "Gateway:RateLimiting:LeaseLifetime must be more than 0 and at most a minute" },
        { "zero retry interval", o => o.RedisRetryInterval = TimeSpan.Zero, "Gateway:RateLimiting:RedisRetryInterval must be positive" },
        { "shortest retry interval", o => o.RedisRetryInterval = TimeSpan.FromTicks(1), null },
    };

    [Theory]
    [MemberData(nameof(OptionRows))]
    public void Options_are_checked_at_start_with_the_key_named(string row, Action<RateLimitingOptions> change, string? error)
    {
        var options = new RateLimitingOptions { Zones = { ["z"] = new RateLimitZoneOptions() } };
        change(options);

        var result = new RateLimitingOptionsValidator().Validate(null, options);

        if (error is null)
        {
            Assert.True(result.Succeeded, $"{row}: {result.FailureMessage}");
        }
        else
        {
            Assert.True(result.Failed, row);
            Assert.Contains(error, Assert.Single(result.Failures!));
        }
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once()
    {
        var options = new RateLimitingOptions
        {
            Zones = { ["a"] = new RateLimitZoneOptions { RequestsPerSecond = 0, Burst = -1 } },
            KeyPrefix = "",
            MaxLeaseTokens = 0,
        };

        var result = new RateLimitingOptionsValidator().Validate(null, options);

        Assert.Equal(4, result.Failures!.Count());
    }

    [Theory]
    [InlineData(10, 20, 100, 100, 10_000, 20_000, 1)]     // 10 r/s refill 1 token in 100 ms: no lease
    [InlineData(0.5, 0, 100, 100, 500, 0, 1)]             // slower still: at least 1
    [InlineData(1000, 5, 100, 100, 1_000_000, 5_000, 100)] // 100 tokens in 100 ms
    [InlineData(1000, 5, 100, 64, 1_000_000, 5_000, 64)]   // capped by MaxLeaseTokens
    [InlineData(99.9, 0, 100, 100, 99_900, 0, 9)]         // floor, not round: never more than the rate refills
    [InlineData(0.0016, 0, 100, 100, 2, 0, 1)]            // rounded to the nearest thousandth
    public void A_zone_is_its_settings_in_thousandths_with_a_lease_no_larger_than_a_lifetime_refills(
        double rate, int burst, int lifetimeMs, int maxLease, long rateMilli, long burstMilli, int leaseTokens)
    {
        var zone = RateLimitZone.From("z", new RateLimitZoneOptions { RequestsPerSecond = rate, Burst = burst },
            new RateLimitingOptions { LeaseLifetime = TimeSpan.FromMilliseconds(lifetimeMs), MaxLeaseTokens = maxLease });

        Assert.Equal(("z", rateMilli, burstMilli, leaseTokens), (zone.Name, zone.RateMilli, zone.BurstMilli, zone.MaxLeaseTokens));
    }

    [Theory]
    [InlineData(0, "1")]    // never "0": that would invite an immediate retry
    [InlineData(1, "1")]
    [InlineData(1000, "1")]
    [InlineData(1001, "2")] // rounded up: a client that waits that long is admitted
    [InlineData(2500, "3")]
    public async Task A_refusal_is_a_429_with_retry_after_in_whole_seconds_rounded_up(long retryAfterMs, string header)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new RateLimitingMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var rejected = new MetricCollector<long>(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            RateLimitingMetrics.MeterName, "starguide.rate_limit.rejected");
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await RateLimitRefusal.WriteAsync(context, new RateLimitZone("api", 10_000, 20_000), new RateLimitDecision(false, retryAfterMs), metrics);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal(header, context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("text/plain; charset=utf-8", context.Response.ContentType);
        Assert.StartsWith("Too many requests", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        var measurement = Assert.Single(rejected.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("api", measurement.Tags["zone"]);
    }

    [Theory]
    [InlineData(10_000, 20_000, 3_100)] // 21 requests' excess drains in 2.1 s, plus a second
    [InlineData(500, 0, 3_000)]
    [InlineData(1_000_000, 5_000, 1_006)]
    public void An_idle_key_lives_until_its_excess_has_drained_plus_a_second(long rateMilli, long burstMilli, long lifetimeMs)
    {
        Assert.Equal(lifetimeMs, Gcra.KeyLifetimeMs(rateMilli, burstMilli));
    }

    [Fact]
    public void The_fallback_store_admits_what_nginx_admits_per_client()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var store = new InProcessGcraStore(time);

        var first = Enumerable.Range(0, 40).Select(_ => store.Evaluate("a", 10_000, 20_000)).ToList();
        var other = store.Evaluate("b", 10_000, 20_000);

        Assert.Equal(21, first.Count(d => d.Allowed));
        Assert.All(first.Skip(21), d => Assert.Equal(100, d.RetryAfterMs));
        Assert.True(other.Allowed);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(store.Evaluate("a", 10_000, 20_000).Allowed);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(store.Evaluate("a", 10_000, 20_000).Allowed);
    }

    [Fact]
    public void The_fallback_store_forgets_keys_past_their_lifetime_every_30_seconds_and_keeps_the_rest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var store = new InProcessGcraStore(time);
        store.Evaluate("idle", 10_000, 0);            // the first call sweeps (nothing yet); lives 2.1 s
        store.Evaluate("slow", 500, 0);               // lives 3 s
        time.Advance(TimeSpan.FromMilliseconds(2_500));
        store.Evaluate("fresh", 10_000, 0);
        Assert.Equal(3, store.Count);

        time.Advance(TimeSpan.FromSeconds(27.4));     // 29.9 s after the first sweep: none yet
        store.Evaluate("fresh", 10_000, 0);           // now lives until 32 s
        Assert.Equal(3, store.Count);

        time.Advance(TimeSpan.FromMilliseconds(100)); // 30 s: "idle" and "slow" are past their lifetimes
        store.Evaluate("new", 10_000, 0);
        Assert.Equal(2, store.Count);                 // "fresh" and "new"
    }

    [Fact]
    public void A_key_is_remembered_across_sweeps_until_its_lifetime_is_over()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1));
        var store = new InProcessGcraStore(time);
        for (var i = 0; i < 3; i++)
        {
            store.Evaluate("a", 1, 1_000); // 0.001 r/s, burst 1: two requests, then the budget is spent for ~1000 s
        }
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.False(store.Evaluate("a", 1, 1_000).Allowed); // its lifetime (2001 s) is not over: not swept
    }

    [Fact]
    public void Leases_with_nothing_left_to_know_are_swept_every_30_seconds()
    {
        var time = new FakeTimeProvider();
        var leases = new RateLimitLeases(Options.Create(new RateLimitingOptions()), time);
        var zone = new RateLimitZone("z", 1_000_000, 0, 64);
        var other = new RateLimitZone("z", 1_000_000, 0, 64); // same name, another zone object: another budget
        var now = leases.Now();
        var idle = leases.For(zone, IPAddress.Loopback, now);
        var asking = leases.For(zone, IPAddress.IPv6Loopback, now);
        Assert.Equal(LeaseOutcome.AskRedis, asking.TryTake(now, 64).Outcome); // a request in flight: not idle
        Assert.Same(idle, leases.For(zone, IPAddress.Parse("127.0.0.1"), now));
        Assert.NotSame(idle, leases.For(other, IPAddress.Loopback, now));
        Assert.Equal(3, leases.Count);

        time.Advance(TimeSpan.FromSeconds(29.9));
        leases.For(zone, IPAddress.Parse("192.0.2.1"), leases.Now());
        Assert.Equal(4, leases.Count);

        time.Advance(TimeSpan.FromMilliseconds(100));
        var after = leases.For(zone, IPAddress.Parse("192.0.2.2"), leases.Now());
        Assert.Equal(2, leases.Count); // the one asking, and the one just made
        Assert.Same(asking, leases.For(zone, IPAddress.IPv6Loopback, leases.Now()));
        Assert.NotSame(idle, leases.For(zone, IPAddress.Loopback, leases.Now()));
        Assert.Same(after, leases.For(zone, IPAddress.Parse("192.0.2.2"), leases.Now()));
        Assert.Equal(leases.TicksPerSecond, time.TimestampFrequency);

        asking.Settle(new GcraGrant(3, 0), asking: true, sentAt: leases.Now(), now: leases.Now(), leases.TicksPerSecond);
        Assert.Equal(2, leases.TokensHeld("z", IPAddress.IPv6Loopback));
        Assert.Equal(0, leases.TokensHeld("z", IPAddress.Loopback));
        Assert.Equal(0, leases.TokensHeld("y", IPAddress.IPv6Loopback));
    }

    [Fact]
    public void The_first_sweep_is_30_seconds_after_the_table_was_made()
    {
        var time = new FakeTimeProvider();
        var leases = new RateLimitLeases(Options.Create(new RateLimitingOptions()), time);
        var zone = new RateLimitZone("z", 1_000_000, 0, 64);

        time.Advance(TimeSpan.FromSeconds(10));
        leases.For(zone, IPAddress.Loopback, leases.Now());
        time.Advance(TimeSpan.FromSeconds(20));
        leases.For(zone, IPAddress.IPv6Loopback, leases.Now());

        Assert.Equal(1, leases.Count); // the idle lease of 20 s ago is gone
    }
}
