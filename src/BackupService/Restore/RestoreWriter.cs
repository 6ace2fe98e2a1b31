using System.Formats.Tar;
using StarGuide.BackupService.Archiving;

namespace StarGuide.BackupService.Restore;

/// <summary>Writes tar entries under one root folder, refusing any that would escape it.</summary>
internal sealed class RestoreWriter(string root)
{
    private readonly string _rootWithSeparator = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
    private readonly List<(string Path, UnixFileMode Mode, DateTime Mtime)> _directories = [];
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);

    public int Files { get; private set; }

    public int Directories => _directories.Count;

    public int Symlinks => _links.Count;

    public int SkippedSpecial { get; private set; }

    public async Task WriteAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var path = SafePath(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(path);
                _directories.Add((path, entry.Mode, entry.ModificationTime.UtcDateTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, cancellationToken);
                    }
                }
                SetMode(path, entry.Mode);
                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                Files++;
                break;
            case TarEntryType.SymbolicLink:
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.CreateSymbolicLink(path, entry.LinkName);
                _links.Add(path);
                break;
            default:
                SkippedSpecial++;
                break;
        }
    }

    /// <summary>Folder times last and deepest first: writing into a folder changes its modification time.</summary>
    public void FinishDirectories()
    {
        foreach (var (path, mode, mtime) in _directories.OrderByDescending(d => d.Path.Length))
        {
            SetMode(path, mode);
            Directory.SetLastWriteTimeUtc(path, mtime);
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        // Windows has no mode bits; the service runs on Linux, the restore still works elsewhere.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private string SafePath(string name)
    {
        var relative = name.TrimEnd('/');
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(s => s is ".." or "."))
        {
            throw new BackupException($"Archive entry '{name}' would be written outside the target folder; refusing to restore it.");
        }
        var path = Path.GetFullPath(Path.Combine(_rootWithSeparator, relative));
        if (!path.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new BackupException($"Archive entry '{name}' would be written outside the target folder; refusing to restore it.");
        }
        // A file must not be written through a link restored earlier: the link could point anywhere.
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length >= _rootWithSeparator.Length; parent = Path.GetDirectoryName(parent))
        {
            if (_links.Contains(parent))
            {
                throw new BackupException($"Archive entry '{name}' lies below the symbolic link '{parent}'; refusing to write through it.");
            }
        }
        return path;
    }
}
