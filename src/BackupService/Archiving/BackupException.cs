namespace StarGuide.BackupService.Archiving;

/// <summary>A backup, verification or restore that cannot go on; the message names the cause for an operator.</summary>
internal sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
