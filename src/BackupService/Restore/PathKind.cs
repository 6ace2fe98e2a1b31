namespace StarGuide.BackupService.Restore;

/// <summary>What <see cref="NoFollow.KindOf"/> found at a path.</summary>
internal enum PathKind
{
    Missing,
    Directory,
    File,
    Symlink,
}
