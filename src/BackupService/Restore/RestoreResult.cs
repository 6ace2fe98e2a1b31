namespace StarGuide.BackupService.Restore;

/// <summary>What a restore wrote; special files (fifos, devices, hard links) are counted but not recreated.</summary>
internal sealed record RestoreResult(string Archive, string Target, int Files, int Directories, int Symlinks, int SkippedSpecial, long Bytes);
