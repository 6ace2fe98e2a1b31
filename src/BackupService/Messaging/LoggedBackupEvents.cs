namespace StarGuide.BackupService.Messaging;

/// <summary>The command line has no bus: its events are only logged (the exit code and output say the rest).</summary>
internal sealed partial class LoggedBackupEvents(ILogger<LoggedBackupEvents> logger) : IBackupEvents
{
    public void Announce(object message) => LogEvent(logger, message.GetType().Name, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{EventType} (not published from the command line): {Event}")]
    private static partial void LogEvent(ILogger logger, string eventType, object @event);
}
