namespace StarGuide.BackupService.Backups;

/// <summary>The archives in a destination folder, and the clean-up of what an interrupted backup left there.</summary>
internal static class BackupCatalog
{
    /// <summary>Archives, newest first. Only names this service writes count; other files are never touched.</summary>
    public static IReadOnlyList<BackupArchive> List(string destination)
    {
        if (!Directory.Exists(destination))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(destination, "starguide-backup-*" + BackupFileNames.ArchiveExtension)
            .Select(path => BackupFileNames.TryParse(Path.GetFileName(path), out var createdAt, out var sequence)
                ? new BackupArchive(path, createdAt, sequence)
                : null)
            .OfType<BackupArchive>()
            .OrderByDescending(a => a.CreatedAt)
            .ThenByDescending(a => a.Sequence)];
    }

    /// <summary>
    /// Deletes <c>.partial-*</c> files and checksums or manifests whose archive is missing (a crash between the
    /// renames). Only safe while holding the backup lock: another replica's partial files are in use otherwise.
    /// </summary>
    public static IReadOnlyList<string> DeleteLeftovers(string destination)
    {
        var deleted = new List<string>();
        if (!Directory.Exists(destination))
        {
            return deleted;
        }
        foreach (var path in Directory.EnumerateFiles(destination))
        {
            var name = Path.GetFileName(path);
            var orphan = OrphanedSidecar(path, name);
            if (name.StartsWith(BackupFileNames.PartialPrefix, StringComparison.Ordinal) || orphan)
            {
                File.Delete(path);
                deleted.Add(path);
            }
        }
        return deleted;
    }

    private static bool OrphanedSidecar(string path, string name)
    {
        foreach (var suffix in new[] { BackupFileNames.ChecksumSuffix, BackupFileNames.ManifestSuffix })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                var archive = path[..^suffix.Length];
                return BackupFileNames.IsArchiveName(Path.GetFileName(archive)) && !File.Exists(archive);
            }
        }
        return false;
    }
}
