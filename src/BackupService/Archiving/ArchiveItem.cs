namespace StarGuide.BackupService.Archiving;

/// <summary>One file, folder or link to archive: where it is and the name it gets in the archive.</summary>
internal sealed record ArchiveItem(FileSystemInfo Info, string EntryName)
{
    public bool IsSymlink => Info.LinkTarget is not null;

    public bool IsDirectory => Info is DirectoryInfo && !IsSymlink;
}
