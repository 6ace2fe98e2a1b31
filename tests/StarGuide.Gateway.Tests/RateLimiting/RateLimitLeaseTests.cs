using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Gateway.RateLimiting;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>
/// A replica's local share of a client's budget, on a fake clock, with <see cref="Gcra.Take"/> standing in for the
/// Redis script (whose agreement with it <see cref="RedisGcraStoreTests"/> pins).
/// </summary>
public sealed class RateLimitLeaseTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_lease_starts_at_one_token_and_doubles_while_each_is_spent_before_it_lapses()
    {
        var budget = new SharedBudget(_time, RateLimitZone("z", rate: 100_000, burst: 1_000_000, maxLease: 64));
        var replica = budget.Replica();

        var (asked, refills) = (new List<int>(), new List<int>());
        for (var i = 0; i < 200; i++)
        {
            replica.Decide(asked, refills);
        }

        // From 8 tokens on, each next lease is asked for in the background while a quarter of the current one is left.
        Assert.Equal([1, 2, 4, 8], asked);
        Assert.Equal([16, 32, 64, 64], refills.Take(4));
        Assert.Equal(200, budget.Admitted);
    }

    [Fact]
    public void A_refilled_lease_is_spent_after_the_current_one_and_lapses_a_lifetime_after_it_was_asked_for()
    {
        var budget = new SharedBudget(_time, RateLimitZone("z", rate: 100_000, burst: 1_000_000, maxLease: 64));
        var replica = budget.Replica();
        var (asked, refills) = (new List<int>(), new List<int>());
        for (var i = 0; i < 12; i++)
        {
            replica.Decide(asked, refills); // leases of 1, 2, 4, 8: 3 of the 8 left
        }
        Assert.Equal([1, 2, 4, 8], asked);
        Assert.Empty(refills);

        _time.Advance(TimeSpan.FromMilliseconds(60));
        replica.Decide(asked, refills); // 2 left: a quarter. Past half its lifetime, so the next lease is not larger.
        Assert.Equal([8], refills);
        replica.Decide(asked, refills);
        replica.Decide(asked, refills); // the current lease is spent

        _time.Advance(TimeSpan.FromMilliseconds(50)); // the current lease would have lapsed; the refill was asked 50 ms ago
        Assert.True(replica.Decide(asked, refills).Allowed);
        Assert.Equal([1, 2, 4, 8], asked);

        _time.Advance(TimeSpan.FromMilliseconds(50)); // a lifetime after the refill was asked for: its 7 tokens lapse
        replica.Decide(asked, refills);
        Assert.Equal([1, 2, 4, 8, 1], asked);
        Assert.Equal(17, budget.Admitted);
    }

    [Fact]
    public void Requests_that_run_out_while_a_refill_is_asked_wait_for_it_and_a_refused_refill_is_remembered()
    {
        var leases = new RateLimitLeases(Options.Create(new RateLimitingOptions { LeaseLifetime = Lifetime }), _time);
        var lease = leases.For(RateLimitZone("z", rate: 100_000, burst: 100_000, maxLease: 64), IPAddress.Loopback, _time.GetTimestamp());
        var (now, perSecond) = (_time.GetTimestamp(), _time.TimestampFrequency);
        LeaseDecision taken;
        while ((taken = lease.TryTake(now, 64)) is not { Outcome: LeaseOutcome.Admitted, Tokens: > 0 })
        {
            if (taken.Outcome == LeaseOutcome.AskRedis)
            {
                lease.Settle(new GcraGrant(taken.Tokens, 0), taken.Asking, now, now, perSecond); // Redis grants all
            }
        }

        Assert.Equal(16, taken.Tokens); // leases of 1, 2, 4, 8; asked with 2 of the 8 left, within half a lifetime
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now, 64).Outcome);
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now, 64).Outcome);
        var waiting = lease.TryTake(now, 64);
        Assert.Equal(LeaseOutcome.WaitForAnswer, waiting.Outcome);
        Assert.False(waiting.Answered!.IsCompleted);

        lease.SettleRefill(new GcraGrant(0, RetryAfterMs: 40), now, perSecond);

        Assert.True(waiting.Answered.IsCompleted);
        var refused = lease.TryTake(now, 64);
        Assert.Equal((LeaseOutcome.Refused, 40 * perSecond / 1000), (refused.Outcome, refused.Ticks));
    }

    [Fact]
    public void Leased_tokens_lapse_after_the_lifetime_and_the_next_lease_starts_again_at_one()
    {
        var budget = new SharedBudget(_time, RateLimitZone("z", rate: 100_000, burst: 100_000, maxLease: 64));
        var replica = budget.Replica();
        var asked = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            replica.Decide(asked); // leases of 1, 2, 4, 8: 15 tokens, 10 spent
        }
        Assert.Equal([1, 2, 4, 8], asked);

        _time.Advance(Lifetime);
        asked.Clear();
        replica.Decide(asked);

        Assert.Equal([1], asked);
        Assert.Equal(16, budget.Granted); // the 5 unspent tokens stay charged: they are not handed out twice
    }

    [Fact]
    public void A_refusal_from_redis_is_kept_until_its_retry_time_and_no_longer()
    {
        var zone = RateLimitZone("z", rate: 10_000, burst: 0, maxLease: 1); // 10 r/s, no burst
        var budget = new SharedBudget(_time, zone);
        var replica = budget.Replica();
        var asked = new List<int>();

        Assert.True(replica.Decide(asked).Allowed);
        var refused = replica.Decide(asked);
        Assert.False(refused.Allowed);
        Assert.Equal(100, refused.RetryAfterMs);
        Assert.Equal(2, asked.Count);

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(replica.Decide(asked).Allowed);
        Assert.Equal(2, asked.Count); // refused from what this replica knew: no round trip

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(replica.Decide(asked).Allowed);
        Assert.Equal(3, asked.Count);
    }

    [Fact]
    public void Only_one_request_per_key_asks_at_a_time_and_the_others_wait_for_its_answer()
    {
        var leases = new RateLimitLeases(Options.Create(new RateLimitingOptions { LeaseLifetime = Lifetime }), _time);
        var zone = RateLimitZone("z", rate: 100_000, burst: 100_000, maxLease: 64);
        var lease = leases.For(zone, IPAddress.Loopback, _time.GetTimestamp());

        var first = lease.TryTake(_time.GetTimestamp(), zone.MaxLeaseTokens);
        var second = lease.TryTake(_time.GetTimestamp(), zone.MaxLeaseTokens);

        Assert.Equal((LeaseOutcome.AskRedis, true), (first.Outcome, first.Asking));
        Assert.Equal(LeaseOutcome.WaitForAnswer, second.Outcome);
        Assert.False(second.Answered!.IsCompleted);
        lease.Abandon(first.Asking);
        Assert.True(second.Answered.IsCompleted);
        Assert.True(lease.TryTake(_time.GetTimestamp(), zone.MaxLeaseTokens).Asking);
    }

    [Theory]
    [InlineData(200, 20, 40, 1)]
    [InlineData(1_000, 50, 100, 7)]
    [InlineData(50, 0, 5, 11)]
    public void Two_replicas_together_admit_at_most_what_nginx_admits_in_any_window_plus_one_lifetime(
        int requestsPerSecond, int burst, int maxLease, int seed)
    {
        var zone = RateLimitZone("z", rate: requestsPerSecond * 1000L, burst: burst * 1000L, maxLease);
        var budget = new SharedBudget(_time, zone);
        var replicas = new[] { budget.Replica(), budget.Replica() };
        var random = new Random(seed);
        var admittedAt = new List<long>();
        var start = _time.GetUtcNow();

        // Over 20 s, segments of random length and kind: traffic below the rate (leases grow and are left partly unspent),
        // lulls, floods of about 10× the rate that open with a spike (what a replica still held is spent at once, on top
        // of whatever the shared budget still has).
        var (kind, segmentStart, segmentEnd) = (0, 0, 0);
        for (var step = 0; step < 20_000; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            if (step == segmentEnd)
            {
                (kind, segmentStart, segmentEnd) = (random.Next(3), step, step + random.Next(20, 300));
            }
            var demand = kind switch
            {
                0 => random.NextDouble() < requestsPerSecond * 0.8 / 1000 ? 1 : 0,
                1 => 0,
                _ when step == segmentStart => 2 * (burst + maxLease) + 5,
                _ => random.Next(0, (int)Math.Ceiling(requestsPerSecond * 20 / 1000.0) + 1),
            };
            for (var i = 0; i < demand; i++)
            {
                if (replicas[random.Next(2)].Decide(null).Allowed)
                {
                    admittedAt.Add((long)(_time.GetUtcNow() - start).TotalMilliseconds);
                }
            }
        }

        var lifetimeMs = (long)Lifetime.TotalMilliseconds;
        Assert.True(admittedAt.Count > requestsPerSecond * 5, $"only {admittedAt.Count} admitted: the demand never reached the rate");
        foreach (var windowMs in new[] { 1L, 50, 100, 500, 2_000 })
        {
            var bound = 1 + burst + (requestsPerSecond * (windowMs + lifetimeMs) / 1000) + 1;
            var worst = MostIn(admittedAt, windowMs);
            Assert.True(worst <= bound, $"{worst} admitted within {windowMs} ms; the bound is {bound}");
        }
    }

    private static int MostIn(List<long> times, long windowMs)
    {
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= windowMs)
            {
                first++;
            }
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    private static RateLimitZone RateLimitZone(string name, long rate, long burst, int maxLease) => new(name, rate, burst, maxLease);

    /// <summary>One budget in "Redis" (<see cref="Gcra.Take"/> on the fake clock) shared by replicas' leases.</summary>
    private sealed class SharedBudget(FakeTimeProvider time, RateLimitZone zone)
    {
        private GcraState? _state;

        public long Granted { get; private set; }

        public int Admitted { get; private set; }

        public Replica Replica() => new(this, new RateLimitLeases(Options.Create(new RateLimitingOptions { LeaseLifetime = Lifetime }), time));

        public RateLimitDecision Decide(RateLimitLeases leases, List<int>? asked, List<int>? refills = null)
        {
            var now = time.GetTimestamp();
            var lease = leases.For(zone, IPAddress.Loopback, now);
            var known = lease.TryTake(now, zone.MaxLeaseTokens);
            if (known is { Outcome: LeaseOutcome.Admitted, Tokens: > 0 })
            {
                refills?.Add(known.Tokens);
                var refill = Take(known.Tokens);
                lease.SettleRefill(new GcraGrant(refill.Granted, refill.RetryAfterMs), now, time.TimestampFrequency);
            }
            var decision = known.Outcome switch
            {
                LeaseOutcome.Admitted => new RateLimitDecision(true, 0),
                LeaseOutcome.Refused => new RateLimitDecision(false, known.Ticks * 1000 / time.TimestampFrequency),
                _ => Ask(lease, known, asked, now),
            };
            Admitted += decision.Allowed ? 1 : 0;
            return decision;
        }

        private RateLimitDecision Ask(RateLimitLease lease, LeaseDecision ask, List<int>? asked, long now)
        {
            asked?.Add(ask.Tokens);
            var take = Take(ask.Tokens);
            return lease.Settle(new GcraGrant(take.Granted, take.RetryAfterMs), ask.Asking, now, now, time.TimestampFrequency);
        }

        /// <summary>What the Redis script does: answered at once here, as if Redis were infinitely fast.</summary>
        private GcraTake Take(int tokens)
        {
            var take = Gcra.Take(_state, time.GetUtcNow().ToUnixTimeMilliseconds(), zone.RateMilli, zone.BurstMilli, tokens);
            _state = take.State;
            Granted += take.Granted;
            return take;
        }
    }

    private sealed class Replica(SharedBudget budget, RateLimitLeases leases)
    {
        public RateLimitDecision Decide(List<int>? asked, List<int>? refills = null) => budget.Decide(leases, asked, refills);
    }
}
