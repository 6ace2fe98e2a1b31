using StarGuide.Gateway.RateLimiting;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>
/// One lease's rules, call by call, on a clock of its own (ticks are milliseconds, a lifetime is 1000): which lease is
/// spent when, when a lease lapses, how it grows, what a refusal or a late answer leaves behind. The flows through the
/// Redis script are in <see cref="RateLimitLeaseTests"/>; these pin the edges one at a time.
/// </summary>
public sealed class RateLimitLeaseRulesTests
{
    private const long Lifetime = 1000;
    private const long TicksPerSecond = 1000;

    [Fact]
    public void The_first_request_asks_for_one_token_and_a_lease_spent_in_time_doubles_the_next()
    {
        var lease = new RateLimitLease(Lifetime);

        var first = lease.TryTake(10, 64);
        Assert.Equal((LeaseOutcome.AskRedis, 1, true), (first.Outcome, first.Tokens, first.Asking));
        Assert.True(lease.Settle(Grant(1), asking: true, sentAt: 10, now: 10, TicksPerSecond).Allowed);

        // The one token was spent by the request that asked, before its lease lapsed at 1010: the next lease is twice as large.
        var second = lease.TryTake(500, 64);
        Assert.Equal((LeaseOutcome.AskRedis, 2), (second.Outcome, second.Tokens));
    }

    [Fact]
    public void A_lease_that_lapsed_before_it_was_spent_starts_again_at_one()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(10, 64);
        lease.Settle(Grant(1), asking: true, sentAt: 10, now: 10, TicksPerSecond);

        var next = lease.TryTake(1010, 64); // exactly a lifetime after it was asked for: lapsed

        Assert.Equal((LeaseOutcome.AskRedis, 1), (next.Outcome, next.Tokens));
    }

    [Fact]
    public void Tokens_are_spent_until_a_lifetime_after_they_were_asked_for()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        lease.Settle(Grant(3), asking: true, sentAt: 0, now: 5, TicksPerSecond); // one spent by the asker, two kept
        Assert.Equal(2, lease.TokensHeld(999));
        Assert.Equal(0, lease.TokensHeld(1000));

        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(999, 64).Outcome);
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(1000, 64).Outcome);
    }

    [Fact]
    public void A_request_that_misses_while_another_asks_waits_for_that_answer_and_a_slow_zone_asks_alongside()
    {
        var lease = new RateLimitLease(Lifetime);
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(0, 64).Outcome);

        var waiting = lease.TryTake(1, 64);
        var slowZone = lease.TryTake(1, 1);

        Assert.Equal(LeaseOutcome.WaitForAnswer, waiting.Outcome);
        Assert.False(waiting.Answered!.IsCompleted);
        Assert.Equal((LeaseOutcome.AskRedis, 1, false), (slowZone.Outcome, slowZone.Tokens, slowZone.Asking));
        lease.Settle(Grant(1), asking: false, sentAt: 1, now: 2, TicksPerSecond); // the slow zone's own answer: not the awaited one
        Assert.False(waiting.Answered.IsCompleted);
        lease.Settle(Grant(4), asking: true, sentAt: 0, now: 3, TicksPerSecond);
        Assert.True(waiting.Answered.IsCompleted);
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(4, 64).Outcome);
    }

    [Fact]
    public void A_grant_of_one_to_a_request_that_did_not_ask_for_the_lease_leaves_the_lease_as_it_was()
    {
        var lease = new RateLimitLease(Lifetime);

        lease.Settle(Grant(1), asking: false, sentAt: 100, now: 100, TicksPerSecond);

        Assert.True(lease.IsIdle(100)); // nothing kept, nothing to lapse: the sweep may forget it
    }

    [Fact]
    public void A_second_answer_of_the_same_batch_lapses_with_the_first()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        lease.Settle(Grant(3), asking: true, sentAt: 0, now: 0, TicksPerSecond);    // 2 kept until 1000
        lease.Settle(Grant(3), asking: false, sentAt: 500, now: 500, TicksPerSecond); // 2 more: all 4 until 1000, not 1500

        Assert.Equal(4, lease.TokensHeld(999));
        Assert.Equal(0, lease.TokensHeld(1000));
    }

    [Fact]
    public void Tokens_granted_when_none_were_left_lapse_a_lifetime_after_they_were_asked_for()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        lease.Settle(Grant(1), asking: true, sentAt: 0, now: 0, TicksPerSecond);      // spent by the asker
        lease.Settle(Grant(3), asking: false, sentAt: 600, now: 600, TicksPerSecond); // 2 kept: until 1600

        Assert.Equal(2, lease.TokensHeld(1599));
        Assert.Equal(0, lease.TokensHeld(1600));
    }

    [Fact]
    public void A_refused_request_spends_a_token_an_earlier_answer_left_and_otherwise_remembers_the_refusal()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        lease.Settle(Grant(2), asking: true, sentAt: 0, now: 0, TicksPerSecond); // 1 kept

        Assert.True(lease.Settle(Refusal(300), asking: false, sentAt: 10, now: 10, TicksPerSecond).Allowed);
        Assert.Equal(0, lease.TokensHeld(10));
        var refused = lease.Settle(Refusal(300), asking: false, sentAt: 20, now: 20, TicksPerSecond);

        Assert.Equal((false, 300L), (refused.Allowed, refused.RetryAfterMs));
        var known = lease.TryTake(319, 64);
        Assert.Equal((LeaseOutcome.Refused, 1L), (known.Outcome, known.Ticks)); // until 320: from when it was asked
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(320, 64).Outcome);
    }

    [Fact]
    public void A_token_left_after_its_lease_lapsed_is_not_spent_by_a_refused_request()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        lease.Settle(Grant(2), asking: true, sentAt: 0, now: 0, TicksPerSecond); // 1 kept until 1000

        Assert.False(lease.Settle(Refusal(100), asking: false, sentAt: 1000, now: 1000, TicksPerSecond).Allowed);
    }

    [Fact]
    public void A_refill_answered_while_tokens_are_left_is_spent_after_them_and_lapses_on_its_own()
    {
        var lease = GrownTo(size: 8, out var now); // 8 tokens held, asked at `now`
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now, 64).Outcome);
        }
        var refill = lease.TryTake(now, 64); // 2 left: a quarter of 8, the next lease asked for in the background
        Assert.Equal((LeaseOutcome.Admitted, 16, true), (refill.Outcome, refill.Tokens, refill.Asking));

        lease.SettleRefill(Grant(16), sentAt: now + 100, TicksPerSecond);

        Assert.Equal(2 + 16, lease.TokensHeld(now + 999));
        Assert.Equal(0, lease.TokensHeld(now + 1100)); // had no request come, both would have lapsed
        Assert.Equal(16, lease.TokensHeld(now + 1000));  // the current lease lapsed; the refill's lives until now + 1100
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now + 1000, 64).Outcome);
        Assert.Equal(15, lease.TokensHeld(now + 1000));
        Assert.Equal(0, lease.TokensHeld(now + 1100));
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(now + 1100, 64).Outcome);
    }

    [Fact]
    public void The_current_lease_is_spent_first_and_the_refill_right_after_it_without_asking_redis()
    {
        var lease = GrownTo(size: 8, out var now);
        for (var i = 0; i < 6; i++)
        {
            lease.TryTake(now, 64); // the 6th asks for the refill: 2 left
        }
        lease.SettleRefill(Grant(16), sentAt: now + 1, TicksPerSecond);

        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now + 2, 64).Outcome);
        Assert.Equal(1 + 16, lease.TokensHeld(now + 2)); // the refill is not touched while the lease has tokens
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now + 3, 64).Outcome);
        Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now + 4, 64).Outcome); // the refill's first token
        Assert.Equal(15, lease.TokensHeld(now + 4));
    }

    [Fact]
    public void A_refill_answered_when_no_tokens_are_left_becomes_the_lease()
    {
        var lease = GrownTo(size: 8, out var now);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now, 64).Outcome); // the 6th asks for the refill
        }

        lease.SettleRefill(Grant(16), sentAt: now + 200, TicksPerSecond);

        Assert.Equal(16, lease.TokensHeld(now + 1199));
        Assert.Equal(0, lease.TokensHeld(now + 1200));
    }

    [Fact]
    public void A_refused_refill_is_remembered_from_when_it_was_asked()
    {
        var lease = GrownTo(size: 8, out var now);
        for (var i = 0; i < 8; i++)
        {
            lease.TryTake(now, 64);
        }

        lease.SettleRefill(Refusal(250), sentAt: now + 10, TicksPerSecond);

        Assert.Equal((LeaseOutcome.Refused, 1L), (lease.TryTake(now + 259, 64).Outcome, lease.TryTake(now + 259, 64).Ticks));
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(now + 260, 64).Outcome);
    }

    [Fact]
    public void A_lease_three_quarters_spent_in_its_first_half_asks_for_twice_as_much_and_later_not()
    {
        var fast = GrownTo(size: 8, out var now);
        var slow = GrownTo(size: 8, out _);
        for (var i = 0; i < 5; i++)
        {
            fast.TryTake(now, 64);
            slow.TryTake(now, 64);
        }

        // 500 ticks before it lapses is exactly half the lifetime: not "within the first half".
        Assert.Equal(16, fast.TryTake(now + 499, 64).Tokens);
        Assert.Equal(8, slow.TryTake(now + 500, 64).Tokens);
    }

    [Fact]
    public void A_request_that_got_no_answer_lets_the_next_miss_ask_and_one_that_was_not_asking_changes_nothing()
    {
        var lease = new RateLimitLease(Lifetime);
        lease.TryTake(0, 64);
        var waiting = lease.TryTake(1, 64);

        lease.Abandon(asking: false);
        Assert.False(waiting.Answered!.IsCompleted);
        Assert.Equal(LeaseOutcome.WaitForAnswer, lease.TryTake(2, 64).Outcome);

        lease.Abandon(asking: true);
        Assert.True(waiting.Answered.IsCompleted);
        Assert.Equal(LeaseOutcome.AskRedis, lease.TryTake(3, 64).Outcome);
    }

    [Fact]
    public void A_lease_is_idle_once_nothing_is_asked_held_or_refused()
    {
        var lease = new RateLimitLease(Lifetime);
        Assert.True(lease.IsIdle(0));
        lease.TryTake(0, 64);
        Assert.False(lease.IsIdle(0)); // asking
        lease.Settle(Grant(2), asking: true, sentAt: 0, now: 0, TicksPerSecond);
        Assert.False(lease.IsIdle(999)); // a token held
        Assert.True(lease.IsIdle(1000));

        var refused = new RateLimitLease(Lifetime);
        refused.Settle(Refusal(300), asking: false, sentAt: 20, now: 20, TicksPerSecond);
        Assert.False(refused.IsIdle(319));
        Assert.True(refused.IsIdle(320));

        var refill = GrownTo(size: 8, out var now);
        for (var i = 0; i < 6; i++)
        {
            refill.TryTake(now, 64);
        }
        refill.SettleRefill(Grant(16), sentAt: now + 500, TicksPerSecond);
        Assert.False(refill.IsIdle(now + 1499)); // the refill's tokens outlive the lease
        Assert.True(refill.IsIdle(now + 1500));
    }

    /// <summary>A lease asked for and granted in full until its size is <paramref name="size"/>, all its tokens held.</summary>
    private static RateLimitLease GrownTo(int size, out long now)
    {
        var lease = new RateLimitLease(Lifetime);
        now = 0;
        for (var tokens = 1; ; tokens *= 2)
        {
            var ask = lease.TryTake(now, 64);
            Assert.Equal((LeaseOutcome.AskRedis, tokens), (ask.Outcome, ask.Tokens));
            if (tokens == size)
            {
                // Granted one more than the request spends: `size` tokens held.
                lease.Settle(Grant(size + 1), asking: true, sentAt: now, now: now, TicksPerSecond);
                return lease;
            }
            lease.Settle(Grant(tokens), asking: true, sentAt: now, now: now, TicksPerSecond);
            for (var i = 1; i < tokens; i++)
            {
                Assert.Equal(LeaseOutcome.Admitted, lease.TryTake(now, 64).Outcome);
            }
            now += 10;
        }
    }

    private static GcraGrant Grant(long tokens) => new(tokens, 0);

    private static GcraGrant Refusal(long retryAfterMs) => new(0, retryAfterMs);
}
