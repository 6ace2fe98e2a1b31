namespace StarGuide.BackupService.Restore;

/// <summary>What is at a path itself, as lstat sees it: a link is reported as a link and never followed.</summary>
internal static class NoFollow
{
    public static PathKind KindOf(string path)
    {
        // FileSystemInfo reads lstat and reports a link (to anything, or dangling) as a reparse point; its Attributes
        // are -1 when nothing is there. File.GetAttributes would do the same but throws for a missing path.
        var attributes = new FileInfo(path).Attributes;
        if ((int)attributes == -1)
        {
            return PathKind.Missing;
        }
        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return PathKind.Symlink;
        }
        return attributes.HasFlag(FileAttributes.Directory) ? PathKind.Directory : PathKind.File;
    }
}
