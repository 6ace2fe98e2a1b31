namespace StarGuide.BackupService.Archiving;

/// <summary>What an archive holds, written beside it as <c>.manifest.json</c> and checked by verification.</summary>
internal sealed record BackupManifest(
    Guid BackupId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Sources,
    IReadOnlyList<ManifestEntry> Entries,
    ManifestTotals Totals);

/// <param name="Path">The entry's name in the archive (the source path without its leading '/').</param>
/// <param name="Type">file, directory or symlink (a fifo or device counts as a file without content).</param>
/// <param name="Size">Bytes of content; 0 for everything but files.</param>
/// <param name="Mode">Unix permission bits in octal, e.g. 0644.</param>
internal sealed record ManifestEntry(string Path, string Type, long Size, string Mode, DateTimeOffset Mtime, string? LinkTarget);

/// <param name="Bytes">Sum of the files' sizes, before compression.</param>
internal sealed record ManifestTotals(int Files, int Directories, int Symlinks, long Bytes);
