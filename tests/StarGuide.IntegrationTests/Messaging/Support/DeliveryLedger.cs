using System.Collections.Concurrent;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>
/// What an idempotent consumer saw: every delivery, by the event's own id (its idempotency key: an event the outbox
/// published again after a lost confirmation has a new MassTransit message id but the same event id) and by message id
/// (a redelivery of one message).
/// </summary>
internal sealed class DeliveryLedger(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, int> _byEvent = new();
    private readonly ConcurrentDictionary<Guid, int> _byMessage = new();
    private long _deliveries;
    private long _lastProcessedAt;

    /// <summary>Deliveries in all, duplicates included.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Distinct events processed (each applied once, however often it was delivered).</summary>
    public int Processed => _byEvent.Count;

    /// <summary>Distinct messages delivered (a message redelivered by the broker counts once).</summary>
    public int DistinctMessages => _byMessage.Count;

    /// <summary>When the latest new event was processed (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastProcessedAt => Interlocked.Read(ref _lastProcessedAt);

    /// <summary>Records a delivery; true when it is the event's first (the consumer applies it), false for a duplicate.</summary>
    public bool Record(Guid eventId, Guid? messageId)
    {
        Interlocked.Increment(ref _deliveries);
        if (messageId is { } id)
        {
            _byMessage.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
        var first = _byEvent.AddOrUpdate(eventId, 1, (_, n) => n + 1) == 1;
        if (first)
        {
            Interlocked.Exchange(ref _lastProcessedAt, time.GetTimestamp());
        }
        return first;
    }

    public bool Saw(Guid eventId) => _byEvent.ContainsKey(eventId);
}
