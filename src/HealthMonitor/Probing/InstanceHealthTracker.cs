using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Probing;

/// <summary>
/// The verdict on one instance from its probe results, and whether that verdict still has to be announced (handed to
/// the outbox, which publishes it until the broker confirms, so a broker outage delays an event but never loses it).
/// The first verdict after start is always announced, because a monitor that restarted cannot know what consumers
/// were last told (the events are idempotent, so repeating one is harmless).
/// </summary>
internal sealed class InstanceHealthTracker(string pool, string healthPath, string instanceId, Uri address)
{
    private int _failures;
    private int _successes;
    private volatile bool _retired;

    public InstanceHealthTracker(string pool, string healthPath, InstanceOptions instance)
        : this(pool, healthPath, instance.Id, new Uri(instance.Address))
    {
    }

    public string Pool { get; } = pool;

    public string InstanceId { get; } = instanceId;

    public Uri Address { get; } = address;

    public Uri ProbeUri { get; } = new(address, healthPath);

    /// <summary>The instance left probing: a probe still in flight must not record or announce anything.</summary>
    public bool IsRetired => _retired;

    public HealthVerdict Verdict { get; private set; }

    public HealthVerdict Announced { get; private set; }

    public int ConsecutiveFailures => _failures;

    public string LastFailure { get; private set; } = "";

    public bool NeedsAnnouncement => Verdict != HealthVerdict.Unknown && Verdict != Announced;

    public void Record(ProbeResult result, ProbingOptions options)
    {
        if (result.Succeeded)
        {
            _failures = 0;
            _successes++;
            // From Unknown one success is enough: a fresh instance should not wait to get traffic.
            if (Verdict == HealthVerdict.Unknown
                || (Verdict == HealthVerdict.Unhealthy && _successes >= options.HealthyThreshold))
            {
                Verdict = HealthVerdict.Healthy;
            }
            return;
        }

        _successes = 0;
        _failures++;
        LastFailure = result.Detail;
        if (_failures >= options.UnhealthyThreshold)
        {
            Verdict = HealthVerdict.Unhealthy;
        }
    }

    public void MarkAnnounced(HealthVerdict verdict) => Announced = verdict;

    public void Retire() => _retired = true;
}
