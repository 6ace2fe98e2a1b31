using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// Writes the sources as a PAX tar (mode, mtime, uid/gid and link targets as the file system has them) through gzip
/// into <c>output</c>. TarWriter reads each path with lstat, so links are stored as links, never followed.
/// </summary>
internal static class ArchiveWriter
{
    public static async Task<BackupManifest> WriteAsync(
        Guid backupId, DateTimeOffset createdAt, IReadOnlyList<BackupSourceOptions> sources, Stream output,
        CancellationToken cancellationToken)
    {
        var entries = new List<ManifestEntry>();
        await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var source in sources)
            {
                foreach (var item in SourceEnumerator.Enumerate(source))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    entries.Add(Describe(item));
                    try
                    {
                        await tar.WriteEntryAsync(item.Info.FullName, item.EntryName, cancellationToken);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw new BackupException($"Cannot archive '{item.Info.FullName}': {ex.Message}", ex);
                    }
                }
            }
        }

        var files = entries.Where(e => e.Type == EntryTypes.File).ToList();
        var totals = new ManifestTotals(
            files.Count,
            entries.Count(e => e.Type == EntryTypes.Directory),
            entries.Count(e => e.Type == EntryTypes.Symlink),
            files.Sum(e => e.Size));
        return new BackupManifest(backupId, createdAt, [.. sources.Select(s => s.Path)], entries, totals);
    }

    private static ManifestEntry Describe(ArchiveItem item)
    {
        var info = item.Info;
        var mode = FormatMode(info.UnixFileMode);
        var mtime = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (item.IsSymlink)
        {
            return new ManifestEntry(item.EntryName, EntryTypes.Symlink, 0, mode, mtime, info.LinkTarget);
        }
        if (item.IsDirectory)
        {
            return new ManifestEntry(item.EntryName, EntryTypes.Directory, 0, mode, mtime, null);
        }
        // .NET does not tell a fifo or device from an empty file; both have no content in the archive.
        return new ManifestEntry(item.EntryName, EntryTypes.File, ((FileInfo)info).Length, mode, mtime, null);
    }

    internal static string FormatMode(UnixFileMode mode) =>
        "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
