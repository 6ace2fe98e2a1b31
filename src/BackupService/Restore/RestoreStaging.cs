using StarGuide.BackupService.Archiving;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// The target of one restore and the staging folder inside it (<c>.restoring-&lt;id&gt;</c>, mode 0700) that the
/// entries are written into. Only a whole restore is moved up into the target; a failed one is deleted with the
/// folders made for it, so a restore leaves either the archive's content or what was there before.
/// </summary>
/// <remarks>
/// Staging inside the target rather than beside it keeps it on the target's file system, so the final moves are
/// renames even when the target is an empty mount point, and a second restore into the same target finds it not
/// empty at once. The price: the target's top-level entries (usually one or two, such as <c>opt</c>) are moved one
/// by one, so a crash during those few renames leaves the staging folder with the rest.
/// </remarks>
internal sealed class RestoreStaging
{
    public const string Prefix = ".restoring-";
    private readonly List<string> _createdForTarget;
    private readonly List<string> _moved = [];
    private bool _completed;

    private RestoreStaging(string target, string path, List<string> createdForTarget)
    {
        Target = target;
        Path = path;
        _createdForTarget = createdForTarget;
    }

    public string Target { get; }

    /// <summary>The staging folder the entries go into.</summary>
    public string Path { get; }

    /// <summary>
    /// Checks the target (an empty or new folder; with <paramref name="confinedTo"/>, inside it and reached without a
    /// link), creates it and the staging folder, and checks that <paramref name="bytes"/> fit on its file system.
    /// </summary>
    public static RestoreStaging Prepare(string target, string? confinedTo, long bytes)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new BackupException("The restore target folder is empty: give the folder to restore into.");
        }
        var created = new List<string>();
        var full = confinedTo is null ? CreateOperatorTarget(target, created) : CreateConfinedTarget(target, confinedTo, created);
        var staging = new RestoreStaging(full, System.IO.Path.Join(full, Prefix + Guid.NewGuid().ToString("N")), created);
        try
        {
            if (Directory.EnumerateFileSystemEntries(full).Any())
            {
                throw new BackupException($"The restore target '{full}' is not empty: restore into an empty or new folder.");
            }
            CheckFreeSpace(full, bytes);
            staging.CreateStagingFolder();
            return staging;
        }
        catch
        {
            staging.Abandon();
            throw;
        }
    }

    /// <summary>Moves the restored entries up into the target and removes the staging folder.</summary>
    public void Complete()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path).ToList())
        {
            var destination = System.IO.Path.Join(Target, System.IO.Path.GetFileName(entry));
            // Both refuse an existing destination, a link included: a name that appeared in the target meanwhile stops it.
            // A link is renamed as a folder is: File.Move looks through it and refuses one that points at a folder.
            if (NoFollow.KindOf(entry) is PathKind.Directory or PathKind.Symlink)
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination, overwrite: false);
            }
            _moved.Add(destination);
        }
        Directory.Delete(Path);
        DirectorySync.Flush(Target);
        _completed = true;
    }

    /// <summary>
    /// Deletes what this restore wrote (links are deleted, never followed) and the folders it made for the target,
    /// deepest first. Null when all is gone, else a sentence naming what stayed.
    /// </summary>
    public string? Abandon()
    {
        if (_completed)
        {
            return null;
        }
        var problems = new List<string>();
        foreach (var path in _moved.Append(Path))
        {
            TryRemove(path, recursive: true, problems);
        }
        foreach (var folder in Enumerable.Reverse(_createdForTarget))
        {
            TryRemove(folder, recursive: false, problems);
        }
        _completed = true;
        return problems.Count == 0 ? null : $"The partial restore could not be removed in full: {string.Join("; ", problems)}";
    }

    private void CreateStagingFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // CreateDirectory also "succeeds" on an existing folder or a link to one: the name is random, but make sure.
        if (NoFollow.KindOf(Path) != PathKind.Directory || Directory.EnumerateFileSystemEntries(Path).Any())
        {
            throw new BackupException($"The staging folder '{Path}' was there before this restore; not restoring into it.");
        }
    }

    /// <summary>The command line's target: the operator's path, links followed as they always were.</summary>
    private static string CreateOperatorTarget(string target, List<string> created)
    {
        var full = System.IO.Path.GetFullPath(target);
        if (NoFollow.KindOf(full) == PathKind.Symlink && new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } linked)
        {
            full = linked.FullName;
        }
        if (File.Exists(full))
        {
            throw new BackupException($"The restore target '{full}' is a file, not a folder.");
        }
        for (var missing = full; missing is not null && NoFollow.KindOf(missing) == PathKind.Missing; missing = System.IO.Path.GetDirectoryName(missing))
        {
            created.Insert(0, missing);
        }
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>
    /// An HTTP target: inside the root, and each folder from the root down is a folder, never a link (lstat). Missing
    /// ones are made one at a time, each checked after it is made.
    /// </summary>
    private static string CreateConfinedTarget(string target, string root, List<string> created)
    {
        var fullRoot = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(root));
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(target));
        if (!full.StartsWith(fullRoot + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupException($"The restore target '{full}' is not inside {RestoreOptions.RootKey} '{fullRoot}'.");
        }
        var current = fullRoot;
        foreach (var segment in full[(fullRoot.Length + 1)..].Split(System.IO.Path.DirectorySeparatorChar))
        {
            current = System.IO.Path.Join(current, segment);
            switch (NoFollow.KindOf(current))
            {
                case PathKind.Directory:
                    continue;
                case PathKind.Symlink:
                    throw new BackupException($"'{current}' is a symbolic link: a restore under {RestoreOptions.RootKey} never writes through a link.");
                case PathKind.File:
                    throw new BackupException($"'{current}' is a file, not a folder: the restore target must be a folder.");
            }
            Directory.CreateDirectory(current);
            created.Add(current);
            if (NoFollow.KindOf(current) != PathKind.Directory)
            {
                throw new BackupException($"'{current}' was replaced while it was created; not restoring there.");
            }
        }
        return full;
    }

    private static void CheckFreeSpace(string folder, long bytes)
    {
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // No answer from the file system: the write itself reports a full disk.
            return;
        }
        if (bytes > free)
        {
            throw new BackupException($"Not restoring: the archive holds {bytes} bytes of file content but the file system of '{folder}' has {free} bytes free.");
        }
    }

    private static void TryRemove(string path, bool recursive, List<string> problems)
    {
        try
        {
            switch (NoFollow.KindOf(path))
            {
                case PathKind.Directory:
                    Directory.Delete(path, recursive);
                    break;
                case PathKind.Missing:
                    break;
                default:
                    File.Delete(path);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"'{path}' stays ({ex.Message})");
        }
    }
}
