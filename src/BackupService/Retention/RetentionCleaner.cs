using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Retention;

/// <summary>Applies <see cref="RetentionPolicy"/> to a destination folder after a successful backup.</summary>
internal sealed partial class RetentionCleaner(VerificationLedger ledger, ILogger<RetentionCleaner> logger)
{
    public async Task<IReadOnlyList<string>> ApplyAsync(string destination, int keep, CancellationToken cancellationToken)
    {
        var archives = BackupCatalog.List(destination);
        var doomed = await RetentionPolicy.ToDeleteAsync(archives, keep,
            async archive => (await ledger.CachedOrVerifyAsync(archive.Path, cancellationToken)).IsValid);
        foreach (var archive in doomed)
        {
            // The archive first: a checksum without its archive is a recognisable leftover, the reverse is not.
            File.Delete(archive.Path);
            BackupFileWriter.TryDelete(BackupFileNames.ChecksumPath(archive.Path));
            BackupFileWriter.TryDelete(BackupFileNames.ManifestPath(archive.Path));
            ledger.Forget(archive.Path);
            LogDeleted(logger, archive.Name, keep);
        }
        return [.. doomed.Select(a => a.Path)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Archive}: more than {Keep} backups")]
    private static partial void LogDeleted(ILogger logger, string archive, int keep);
}
