using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// The <c>Backup:Restore</c> keys, checked with the rest of <c>Backup</c> at start (and the limits alone by the
/// command line's <c>restore</c>). The root is created here, as the destination is, so that a root the service can
/// never write to stops it at once rather than failing the first restore.
/// </summary>
internal static class RestoreOptionsValidator
{
    public static void ValidateLimits(RestoreOptions options, List<string> errors)
    {
        if (options.MaxEntries < 1)
        {
            errors.Add($"{RestoreOptions.MaxEntriesKey} must be at least 1; it is {options.MaxEntries}.");
        }
        if (options.MaxBytes < 1)
        {
            errors.Add($"{RestoreOptions.MaxBytesKey} must be at least 1; it is {options.MaxBytes}.");
        }
    }

    public static void ValidateRoot(RestoreOptions options, string destination, List<string> errors)
    {
        var root = options.Root;
        if (string.IsNullOrEmpty(root))
        {
            return;
        }
        if (!Path.IsPathFullyQualified(root))
        {
            errors.Add($"{RestoreOptions.RootKey} must be an absolute path; it is '{root}'.");
            return;
        }
        // Restored trees among the archives would fill the backup volume and could take an archive's name.
        if (Path.IsPathFullyQualified(destination)
            && (BackupOptionsValidator.IsInside(root, destination) || BackupOptionsValidator.IsInside(destination, root)))
        {
            errors.Add($"{RestoreOptions.RootKey} '{root}' overlaps {BackupOptions.SectionName}:Destination '{destination}': restores must not write among the archives.");
            return;
        }
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{RestoreOptions.RootKey} '{root}' cannot be created: {ex.Message}");
        }
    }
}
