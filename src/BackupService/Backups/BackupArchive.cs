namespace StarGuide.BackupService.Backups;

/// <summary>An archive in the destination folder, named by <see cref="BackupFileNames"/>.</summary>
internal sealed record BackupArchive(string Path, DateTimeOffset CreatedAt, int Sequence)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
