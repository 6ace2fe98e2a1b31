using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Retention;

/// <summary>
/// Which archives to delete: all but the newest <c>keep</c>, except that the newest archive that verifies is never
/// deleted, even when it is older than the newest <c>keep</c> (which may all be damaged).
/// </summary>
internal static class RetentionPolicy
{
    /// <param name="newestFirst">The destination's archives, newest first.</param>
    /// <param name="verifies">Whether an archive verifies; asked newest first, and only until one does.</param>
    public static async Task<IReadOnlyList<BackupArchive>> ToDeleteAsync(
        IReadOnlyList<BackupArchive> newestFirst, int keep, Func<BackupArchive, Task<bool>> verifies)
    {
        if (newestFirst.Count <= keep)
        {
            return [];
        }
        BackupArchive? newestGood = null;
        foreach (var archive in newestFirst)
        {
            if (await verifies(archive))
            {
                newestGood = archive;
                break;
            }
        }
        return [.. newestFirst.Skip(keep).Where(a => a != newestGood)];
    }
}
