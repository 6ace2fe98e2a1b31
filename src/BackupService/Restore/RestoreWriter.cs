using System.Formats.Tar;
using StarGuide.BackupService.Archiving;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// Writes tar entries under a staging folder that this restore has just created, never through a link.
/// </summary>
/// <remarks>
/// .NET has no <c>O_NOFOLLOW</c> for intermediate folders and no <c>openat</c>/<c>mkdirat</c> relative to a folder
/// handle: every path is resolved again from <c>/</c> by the kernel, so a folder checked now could be a link by the
/// time a file is opened below it. The order of checks closes that gap as far as .NET allows:
/// <list type="number">
/// <item>The staging folder is new and mode 0700 (<see cref="RestoreStaging"/>): no other user can add or swap
/// anything below it while the restore runs (root and this service's own user still can; they need no trick).</item>
/// <item>Every folder on an entry's path is checked with lstat (<see cref="NoFollow"/>) and must be one this restore
/// created: a link made by an earlier entry of the same archive, or anything else found there, stops the restore.</item>
/// <item>The last component is created by calls that never follow a link there: <see cref="FileMode.CreateNew"/>
/// (<c>O_CREAT|O_EXCL</c>, which fails on an existing link, dangling or not), <c>mkdir</c> and <c>symlink</c>.</item>
/// <item>A file's mode and time are set through its open handle (<c>fchmod</c>, <c>futimens</c>), never by path;
/// folders get theirs last, each checked again with lstat just before.</item>
/// </list>
/// Names with <c>..</c>, <c>.</c> or empty segments and absolute names are refused outright.
/// </remarks>
internal sealed class RestoreWriter
{
    private const UnixFileMode SpecialBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;
    private readonly string _root;
    private readonly RestorePolicy _policy;
    private readonly RestoreBudget _budget;
    private readonly HashSet<string> _createdDirectories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly List<(string Path, UnixFileMode Mode, DateTime Mtime)> _directories = [];

    /// <param name="root">An empty folder this restore created; nothing outside it is written.</param>
    public RestoreWriter(string root, RestorePolicy policy)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _policy = policy;
        _budget = new RestoreBudget(policy);
        _createdDirectories.Add(_root);
    }

    public int Files { get; private set; }

    public int Directories => _directories.Count;

    public int Symlinks => _links.Count;

    public int SkippedSpecial { get; private set; }

    public long Bytes => _budget.Bytes;

    public async Task WriteAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        _budget.TakeEntry(entry.Name);
        var path = SafePath(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                EnsureParent(path, entry.Name);
                EnsureDirectory(path, entry.Name, isEntry: true);
                _directories.Add((path, Mask(entry.Mode), entry.ModificationTime.UtcDateTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                // From the header, before a byte of data is read or written.
                _budget.TakeBytes(entry.Name, entry.Length);
                EnsureParent(path, entry.Name);
                await WriteFileAsync(path, entry, cancellationToken);
                Files++;
                break;
            case TarEntryType.SymbolicLink:
                EnsureParent(path, entry.Name);
                // symlink(2) fails on anything already there and never follows it.
                CreateNew(path, entry.Name, () => File.CreateSymbolicLink(path, entry.LinkName));
                _links.Add(path);
                break;
            default:
                // Hard links, fifos, devices: a hard link could name any file on the volume; the others need root.
                SkippedSpecial++;
                break;
        }
    }

    /// <summary>Folder modes and times last and deepest first: writing into a folder changes its modification time.</summary>
    public void FinishDirectories()
    {
        foreach (var (path, mode, mtime) in _directories.OrderByDescending(d => d.Path.Length))
        {
            if (NoFollow.KindOf(path) != PathKind.Directory)
            {
                throw new BackupException($"The restored folder '{Relative(path)}' was replaced while the restore ran; not changing it.");
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
            Directory.SetLastWriteTimeUtc(path, mtime);
        }
    }

    private async Task WriteFileAsync(string path, TarEntry entry, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Owner only until the content is whole; the archive's mode comes last, through the handle.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var file = CreateNew(path, entry.Name, () => new FileStream(path, options));
        if (entry.DataStream is { } data)
        {
            await data.CopyToAsync(file, cancellationToken);
        }
        await file.FlushAsync(cancellationToken);
        File.SetLastWriteTimeUtc(file.SafeFileHandle, entry.ModificationTime.UtcDateTime);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.SafeFileHandle, Mask(entry.Mode));
        }
    }

    private T CreateNew<T>(string path, string name, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (IOException) when (NoFollow.KindOf(path) != PathKind.Missing)
        {
            throw new BackupException($"Archive entry '{name}': '{Relative(path)}' already exists (an earlier entry made it); refusing to overwrite it.");
        }
    }

    private UnixFileMode Mask(UnixFileMode mode) => _policy.KeepSpecialBits ? mode : mode & ~SpecialBits;

    /// <summary>Each folder above <paramref name="path"/>, from the root down, exists as a folder this restore made.</summary>
    private void EnsureParent(string path, string name)
    {
        var parent = Path.GetDirectoryName(path)!;
        if (parent.Length <= _root.Length)
        {
            return;
        }
        var current = _root;
        foreach (var segment in parent[(_root.Length + 1)..].Split(Path.DirectorySeparatorChar))
        {
            current = Path.Join(current, segment);
            EnsureDirectory(current, name, isEntry: false);
        }
    }

    private void EnsureDirectory(string path, string name, bool isEntry)
    {
        // A link restored earlier is known without asking the file system; lstat below catches any other.
        if (_links.Contains(path))
        {
            throw BelowLink(name, path, isEntry);
        }
        switch (NoFollow.KindOf(path))
        {
            case PathKind.Directory when _createdDirectories.Contains(path):
                return;
            case PathKind.Missing:
                // The parent was checked just before, so exactly this one folder is made.
                Directory.CreateDirectory(path);
                if (NoFollow.KindOf(path) != PathKind.Directory)
                {
                    throw new BackupException($"Archive entry '{name}': '{Relative(path)}' was replaced while it was created; refusing to write there.");
                }
                _createdDirectories.Add(path);
                return;
            case PathKind.Symlink:
                throw BelowLink(name, path, isEntry);
            case PathKind.File:
                throw new BackupException($"Archive entry '{name}' needs the folder '{Relative(path)}', but a file is there; refusing to restore it.");
            default:
                throw new BackupException($"Archive entry '{name}' needs the folder '{Relative(path)}', which this restore did not create; refusing to write into it.");
        }
    }

    private BackupException BelowLink(string name, string path, bool isEntry) => new(isEntry
        ? $"Archive entry '{name}' would make a folder where the symbolic link '{Relative(path)}' is; refusing to write through it."
        : $"Archive entry '{name}' lies below the symbolic link '{Relative(path)}'; refusing to write through it.");

    private string SafePath(string name)
    {
        // A folder entry ends with '/'; past that, every segment must be a plain name.
        var relative = name.TrimEnd('/');
        if (relative.Length == 0 || relative.Contains('\0') || Path.IsPathRooted(relative)
            || relative.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new BackupException($"Archive entry '{name}' would be written outside the target folder; refusing to restore it.");
        }
        var path = Path.GetFullPath(Path.Join(_root, relative));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupException($"Archive entry '{name}' would be written outside the target folder; refusing to restore it.");
        }
        return path;
    }

    private string Relative(string path) => Path.GetRelativePath(_root, path);
}
