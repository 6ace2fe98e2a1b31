using StarGuide.BackupService.Archiving;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// <c>Backup:Restore:MaxEntries</c> and <c>MaxBytes</c>, applied twice: to the manifest before anything is read (after
/// verification it lists exactly the archive's entries and sizes, so a too-large archive is refused before it is
/// even decompressed), and to each entry as it is written, from its tar header before its data, in case the archive
/// changed after it was verified.
/// </summary>
internal sealed class RestoreBudget(RestorePolicy policy)
{
    public int Entries { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Sum of the file sizes a manifest lists; saturates instead of overflowing on a crafted one.</summary>
    public static long BytesOf(BackupManifest manifest)
    {
        long total = 0;
        foreach (var entry in manifest.Entries)
        {
            if (entry.Type == EntryTypes.File && entry.Size > 0)
            {
                total = entry.Size > long.MaxValue - total ? long.MaxValue : total + entry.Size;
            }
        }
        return total;
    }

    public static void CheckManifest(BackupManifest manifest, RestorePolicy policy)
    {
        if (manifest.Entries.Count > policy.MaxEntries)
        {
            throw new BackupException($"Not restoring: the archive holds {manifest.Entries.Count} entries, more than "
                + $"{RestoreOptions.MaxEntriesKey} allows ({policy.MaxEntries}); raise it if the archive is trusted.");
        }
        var bytes = BytesOf(manifest);
        if (bytes > policy.MaxBytes)
        {
            throw new BackupException($"Not restoring: the archive holds {bytes} bytes of file content, more than "
                + $"{RestoreOptions.MaxBytesKey} allows ({policy.MaxBytes}); raise it if the archive is trusted.");
        }
    }

    public void TakeEntry(string name)
    {
        if (Entries >= policy.MaxEntries)
        {
            throw new BackupException($"Restore stopped at archive entry '{name}': it is beyond the {policy.MaxEntries} "
                + $"entries {RestoreOptions.MaxEntriesKey} allows (the archive changed after it was verified?).");
        }
        Entries++;
    }

    public void TakeBytes(string name, long length)
    {
        if (length < 0 || length > policy.MaxBytes - Bytes)
        {
            throw new BackupException($"Restore stopped at archive entry '{name}' ({length} bytes): the restore would write "
                + $"more than the {policy.MaxBytes} bytes {RestoreOptions.MaxBytesKey} allows (the archive changed after it was verified?).");
        }
        Bytes += length;
    }
}
