using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// Restores a verified archive into an empty or new folder: content, permission bits (setuid, setgid and sticky only
/// when the policy keeps them) and modification times of files and folders, and links as links. Owners are not
/// restored (the restoring user owns the files; the archive keeps uid/gid for <c>tar xpf --same-owner</c>).
/// </summary>
/// <remarks>
/// In order: the manifest against the limits (nothing read yet), verification (nothing written yet), the target and
/// its free space, the entries into a staging folder (<see cref="RestoreWriter"/>), then the move into place. Any
/// failure deletes what was written (<see cref="RestoreStaging"/>).
/// </remarks>
internal static class ArchiveRestorer
{
    public static async Task<RestoreResult> RestoreAsync(string archivePath, string target, RestorePolicy policy, CancellationToken cancellationToken)
    {
        var manifest = await VerifyAsync(archivePath, policy, cancellationToken);
        var staging = RestoreStaging.Prepare(target, policy.ConfinedTo, RestoreBudget.BytesOf(manifest));
        try
        {
            var writer = new RestoreWriter(staging.Path, policy);
            await using (var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            await using (var tar = new TarReader(gzip))
            {
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    await writer.WriteAsync(entry, cancellationToken);
                }
            }
            writer.FinishDirectories();
            staging.Complete();
            return new RestoreResult(Path.GetFileName(archivePath), staging.Target, writer.Files, writer.Directories,
                writer.Symlinks, writer.SkippedSpecial, writer.Bytes);
        }
        catch (Exception ex)
        {
            if (staging.Abandon() is { } leftover)
            {
                throw new BackupException($"{ex.Message} {leftover}", ex);
            }
            throw;
        }
    }

    private static async Task<BackupManifest> VerifyAsync(string archivePath, RestorePolicy policy, CancellationToken cancellationToken)
    {
        string sha256;
        BackupManifest manifest;
        try
        {
            (sha256, manifest) = await ArchiveVerifier.ReadRecordAsync(archivePath, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Not restoring: {ex.Message}", ex);
        }
        RestoreBudget.CheckManifest(manifest, policy);
        var verification = await ArchiveVerifier.VerifyAsync(archivePath, sha256, manifest, cancellationToken);
        if (!verification.IsValid)
        {
            throw new BackupException($"Not restoring: {verification.Problem}");
        }
        return manifest;
    }
}
