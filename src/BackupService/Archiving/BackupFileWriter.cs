using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// Writes one backup so that a crash or error at any point leaves either nothing or a whole, verified backup:
/// archive, manifest and checksum are written under <c>.partial-&lt;id&gt;</c> names and flushed to disk, the archive
/// is verified against them, then the manifest and the checksum are renamed, and the archive last. An archive
/// under its final name therefore always has its checksum beside it; a crash between renames leaves only sidecars
/// without an archive, which the next run deletes with the <c>.partial-*</c> files.
/// </summary>
internal static class BackupFileWriter
{
    private const int BufferSize = 1 << 20;

    public static async Task<WrittenBackup> WriteAsync(
        Guid backupId, DateTimeOffset createdAt, BackupOptions options, CancellationToken cancellationToken)
    {
        var destination = options.Destination;
        var partial = Path.Combine(destination, BackupFileNames.PartialPrefix + backupId.ToString("N"));
        var partialArchive = partial + BackupFileNames.ArchiveExtension;
        var partialManifest = partial + BackupFileNames.ManifestSuffix;
        var partialChecksum = partial + BackupFileNames.ChecksumSuffix;
        var finalArchive = FreeArchivePath(destination, createdAt);
        var renamed = new List<string>();
        try
        {
            BackupManifest manifest;
            string sha256;
            long size;
            await using (var file = new FileStream(partialArchive, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            await using (var hashing = new HashingStream(file, partialArchive))
            {
                manifest = await ArchiveWriter.WriteAsync(backupId, createdAt, options.Sources, hashing, cancellationToken);
                await hashing.FlushAsync(cancellationToken);
                FlushToDisk(file, partialArchive);
                sha256 = hashing.HashHex();
                size = hashing.BytesWritten;
            }
            await WriteSidecarAsync(partialManifest, s => ManifestJson.WriteAsync(manifest, s, cancellationToken));
            var checksum = ChecksumFile.Format(sha256, Path.GetFileName(finalArchive));
            await WriteSidecarAsync(partialChecksum, s => s.WriteAsync(System.Text.Encoding.ASCII.GetBytes(checksum), cancellationToken).AsTask());

            var verification = await ArchiveVerifier.VerifyAsync(partialArchive, sha256, manifest, cancellationToken);
            if (!verification.IsValid)
            {
                throw new BackupException($"The new archive did not verify: {verification.Problem}");
            }

            MoveInPlace(partialManifest, BackupFileNames.ManifestPath(finalArchive), renamed);
            MoveInPlace(partialChecksum, BackupFileNames.ChecksumPath(finalArchive), renamed);
            MoveInPlace(partialArchive, finalArchive, renamed);
            DirectorySync.Flush(destination);
            return new WrittenBackup(finalArchive, size, sha256, manifest);
        }
        catch
        {
            // Nothing of a failed backup stays: neither its partial files nor sidecars already renamed.
            if (!renamed.Contains(finalArchive))
            {
                foreach (var path in renamed.Concat([partialArchive, partialManifest, partialChecksum]))
                {
                    TryDelete(path);
                }
            }
            throw;
        }
    }

    private static string FreeArchivePath(string destination, DateTimeOffset createdAt)
    {
        for (var sequence = 1; ; sequence++)
        {
            var path = Path.Combine(destination, BackupFileNames.ArchiveName(createdAt, sequence));
            if (!File.Exists(path) && !File.Exists(BackupFileNames.ChecksumPath(path)))
            {
                return path;
            }
        }
    }

    private static async Task WriteSidecarAsync(string path, Func<Stream, Task> write)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            await write(file);
            await file.FlushAsync();
        }
        catch (IOException ex)
        {
            throw new BackupException($"Writing '{path}' failed: {ex.Message}", ex);
        }
        FlushToDisk(file, path);
    }

    private static void FlushToDisk(FileStream file, string path)
    {
        try
        {
            file.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            throw new BackupException($"Flushing '{path}' to disk failed: {ex.Message}", ex);
        }
    }

    private static void MoveInPlace(string from, string to, List<string> renamed)
    {
        File.Move(from, to, overwrite: false);
        renamed.Add(to);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the start-of-run clean-up, which deletes every .partial-* file.
        }
    }
}
