namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// What the <see cref="EventOutbox"/> adds to everything it publishes (set in code by a service), and when it gives up
/// on a publisher that gets nothing confirmed (section <c>EventOutbox</c>).
/// </summary>
public sealed class EventOutboxOptions
{
    public const string SectionName = "EventOutbox";

    /// <summary>Shortest <see cref="StallAfter"/>: one publish attempt's time limit, so that one slow confirm is not a stall.</summary>
    public static readonly TimeSpan MinStallAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Headers set on every event the outbox publishes (the scaler marks its events with its scope, so that its own
    /// <c>ScaleRequested</c>, applied before it was published, is not applied again when its queue receives it).
    /// Set in code, not configuration.
    /// </summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long events may wait with nothing confirmed, while the bus reports healthy, before the outbox restarts the bus
    /// (a new connection and new channels; the waiting events are kept and published after it). At least 10 s, at most
    /// one hour. Time spent while the bus is not healthy (a broker outage) does not count.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(1);
}
