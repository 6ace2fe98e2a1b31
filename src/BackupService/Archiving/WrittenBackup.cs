namespace StarGuide.BackupService.Archiving;

/// <summary>An archive in place under its final name, with its checksum and manifest beside it.</summary>
internal sealed record WrittenBackup(string ArchivePath, long SizeBytes, string Sha256, BackupManifest Manifest);
