using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.BackupService.Messaging;

/// <summary>
/// The service's events go through its <see cref="EventOutbox"/>: published in order, each until the broker confirms it,
/// so a broker outage delays an event but does not lose it while the process lives, and a backup never waits for the broker.
/// </summary>
internal sealed partial class OutboxBackupEvents(EventOutbox outbox, ILogger<OutboxBackupEvents> logger) : IBackupEvents
{
    public void Announce(object message)
    {
        outbox.Enqueue(message);
        LogQueued(logger, message.GetType().Name, message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing {EventType}: {Event}")]
    private static partial void LogQueued(ILogger logger, string eventType, object @event);
}
