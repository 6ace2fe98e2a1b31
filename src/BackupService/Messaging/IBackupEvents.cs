namespace StarGuide.BackupService.Messaging;

/// <summary>Where <c>BackupCompleted</c> and <c>BackupFailed</c> go: the bus in the service, the log on the command line.</summary>
internal interface IBackupEvents
{
    void Announce(object message);
}
