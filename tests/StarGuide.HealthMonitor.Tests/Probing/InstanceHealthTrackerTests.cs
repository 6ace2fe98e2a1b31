using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Tests.Probing;

public class InstanceHealthTrackerTests
{
    private static readonly ProbingOptions Options = new() { UnhealthyThreshold = 2, HealthyThreshold = 3 };
    private static readonly ProbeResult Ok = ProbeResult.Success(200);
    private static readonly ProbeResult Refused = ProbeResult.Failure("ConnectionRefused at http://127.0.0.1:1/api/health");

    private static InstanceHealthTracker NewTracker() =>
        new("backend", "/api/health", new InstanceOptions { Id = "backend-1", Address = "http://127.0.0.1:8001" });

    [Fact]
    public void Probe_uri_joins_the_address_and_the_pool_health_path()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8001/api/health"), NewTracker().ProbeUri);
    }

    [Fact]
    public void First_success_makes_an_unknown_instance_healthy_and_asks_for_an_announcement()
    {
        var tracker = NewTracker();
        Assert.False(tracker.NeedsAnnouncement);

        tracker.Record(Ok, Options);

        Assert.Equal(HealthVerdict.Healthy, tracker.Verdict);
        Assert.True(tracker.NeedsAnnouncement);
    }

    [Fact]
    public void Failures_below_the_threshold_keep_the_verdict()
    {
        var tracker = NewTracker();
        tracker.Record(Ok, Options);
        tracker.MarkAnnounced(HealthVerdict.Healthy);

        tracker.Record(Refused, Options);

        Assert.Equal(HealthVerdict.Healthy, tracker.Verdict);
        Assert.False(tracker.NeedsAnnouncement);
    }

    [Fact]
    public void Threshold_failures_in_a_row_make_it_unhealthy_with_the_last_reason()
    {
        var tracker = NewTracker();
        tracker.Record(Ok, Options);
        tracker.MarkAnnounced(HealthVerdict.Healthy);

        tracker.Record(Refused, Options);
        tracker.Record(Refused, Options);

        Assert.Equal(HealthVerdict.Unhealthy, tracker.Verdict);
        Assert.Equal(2, tracker.ConsecutiveFailures);
        Assert.Contains("ConnectionRefused", tracker.LastFailure);
        Assert.True(tracker.NeedsAnnouncement);
    }

    [Fact]
    public void A_success_between_failures_resets_the_count()
    {
        var tracker = NewTracker();
        tracker.Record(Ok, Options);

        tracker.Record(Refused, Options);
        tracker.Record(Ok, Options);
        tracker.Record(Refused, Options);

        Assert.Equal(HealthVerdict.Healthy, tracker.Verdict);
        Assert.Equal(1, tracker.ConsecutiveFailures);
    }

    [Fact]
    public void Unhealthy_instance_needs_healthy_threshold_successes_to_recover()
    {
        var tracker = NewTracker();
        tracker.Record(Refused, Options);
        tracker.Record(Refused, Options);
        tracker.MarkAnnounced(HealthVerdict.Unhealthy);

        tracker.Record(Ok, Options);
        tracker.Record(Ok, Options);
        Assert.Equal(HealthVerdict.Unhealthy, tracker.Verdict);

        tracker.Record(Ok, Options);
        Assert.Equal(HealthVerdict.Healthy, tracker.Verdict);
        Assert.True(tracker.NeedsAnnouncement);
    }

    [Fact]
    public void A_verdict_that_was_not_announced_stays_pending()
    {
        var tracker = NewTracker();
        tracker.Record(Refused, Options);
        tracker.Record(Refused, Options);

        // The publish failed, so nothing was marked: the next round must try again.
        tracker.Record(Refused, Options);

        Assert.True(tracker.NeedsAnnouncement);
        tracker.MarkAnnounced(HealthVerdict.Unhealthy);
        Assert.False(tracker.NeedsAnnouncement);
    }
}
