using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// Restores a verified archive into an empty or new folder: content, permission bits and modification times of
/// files and folders, and links as links. Owners are not restored (the restoring user owns the files; the archive
/// keeps uid/gid for <c>tar xpf --same-owner</c>). An entry that would land outside the folder is refused.
/// </summary>
internal static class ArchiveRestorer
{
    public static async Task<RestoreResult> RestoreAsync(string archivePath, string target, CancellationToken cancellationToken)
    {
        var verification = await ArchiveVerifier.VerifyAsync(archivePath, cancellationToken);
        if (!verification.IsValid)
        {
            throw new BackupException($"Not restoring: {verification.Problem}");
        }
        var root = PrepareTarget(target);
        var writer = new RestoreWriter(root);
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            await writer.WriteAsync(entry, cancellationToken);
        }
        writer.FinishDirectories();
        return new RestoreResult(Path.GetFileName(archivePath), root, writer.Files, writer.Directories, writer.Symlinks, writer.SkippedSpecial);
    }

    private static string PrepareTarget(string target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new BackupException("The restore target folder is empty: give the folder to restore into.");
        }
        var root = Path.GetFullPath(target);
        if (File.Exists(root))
        {
            throw new BackupException($"The restore target '{root}' is a file, not a folder.");
        }
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new BackupException($"The restore target '{root}' is not empty: restore into an empty or new folder.");
        }
        Directory.CreateDirectory(root);
        return root;
    }
}
