using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// Lists what one source holds, in a stable (ordinal) order, without following symbolic links: a link is archived
/// as a link, so a link to a parent folder or two links to each other cannot make the walk loop. Only the configured
/// root is resolved when it is itself a link (e.g. a config file linked from elsewhere).
/// </summary>
internal static class SourceEnumerator
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    public static IEnumerable<ArchiveItem> Enumerate(BackupSourceOptions source)
    {
        var rootPath = source.Path.Length > 1 ? Path.TrimEndingDirectorySeparator(source.Path) : source.Path;
        var rootEntry = rootPath.TrimStart('/');
        var root = ResolveRoot(rootPath);
        if (root is FileInfo file)
        {
            yield return new ArchiveItem(file, rootEntry);
            yield break;
        }

        var excludes = new ExcludeMatcher(source.Excludes);
        yield return new ArchiveItem(root, rootEntry);
        var pending = new Stack<(DirectoryInfo Folder, string Relative)>();
        pending.Push(((DirectoryInfo)root, ""));
        while (pending.Count > 0)
        {
            var (folder, relative) = pending.Pop();
            var children = ListChildren(folder);
            var subfolders = new List<(DirectoryInfo, string)>();
            foreach (var child in children)
            {
                var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                if (excludes.IsExcluded(childRelative))
                {
                    continue;
                }
                var item = new ArchiveItem(child, rootEntry + "/" + childRelative);
                yield return item;
                if (item.IsDirectory)
                {
                    subfolders.Add(((DirectoryInfo)child, childRelative));
                }
            }
            // Reversed onto the stack so that folders are walked in name order.
            for (var i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }
    }

    private static FileSystemInfo ResolveRoot(string rootPath)
    {
        var info = new FileInfo(rootPath);
        if (info.LinkTarget is { } target)
        {
            FileSystemInfo? final;
            try
            {
                final = info.ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException ex)
            {
                throw new BackupException($"Backup source '{rootPath}' is a symbolic link that cannot be resolved ({ex.Message}); a link loop?", ex);
            }
            if (final is null || !final.Exists)
            {
                throw new BackupException($"Backup source '{rootPath}' is a symbolic link to '{target}', which does not exist.");
            }
            return final is DirectoryInfo ? new DirectoryInfo(final.FullName) : new FileInfo(final.FullName);
        }
        if (Directory.Exists(rootPath))
        {
            return new DirectoryInfo(rootPath);
        }
        if (info.Exists)
        {
            return info;
        }
        throw new BackupException($"Backup source '{rootPath}' does not exist.");
    }

    private static List<FileSystemInfo> ListChildren(DirectoryInfo folder)
    {
        try
        {
            var children = folder.EnumerateFileSystemInfos("*", OneLevel).ToList();
            children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return children;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Cannot list backup source folder '{folder.FullName}': {ex.Message}", ex);
        }
    }
}
