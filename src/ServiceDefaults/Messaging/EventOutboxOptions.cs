namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>What the <see cref="EventOutbox"/> adds to everything it publishes; set in code by a service, not configuration.</summary>
public sealed class EventOutboxOptions
{
    /// <summary>
    /// Headers set on every event the outbox publishes (the scaler marks its events with its scope, so that its own
    /// <c>ScaleRequested</c>, applied before it was published, is not applied again when its queue receives it).
    /// </summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.Ordinal);
}
