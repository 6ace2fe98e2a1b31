using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Verification;

/// <summary>
/// Re-reads an archive: its SHA-256 against the <c>.sha256</c>, then every tar entry through gzip (whose CRC catches
/// damaged data) against the manifest's names, kinds and sizes. Never throws for a bad archive: the result says why.
/// </summary>
internal static class ArchiveVerifier
{
    public static async Task<VerificationResult> VerifyAsync(string archivePath, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(archivePath);
        try
        {
            var (expected, manifest) = await ReadRecordAsync(archivePath, cancellationToken);
            return await VerifyAsync(archivePath, expected, manifest, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return VerificationResult.Invalid(name, ex.Message);
        }
    }

    /// <summary>
    /// The SHA-256 and manifest recorded beside an archive, read before the archive is (a restore checks the manifest
    /// against its limits first); an <see cref="InvalidDataException"/> naming a file that is missing or unreadable.
    /// </summary>
    public static async Task<(string Sha256, BackupManifest Manifest)> ReadRecordAsync(string archivePath, CancellationToken cancellationToken)
    {
        foreach (var required in new[] { archivePath, BackupFileNames.ChecksumPath(archivePath), BackupFileNames.ManifestPath(archivePath) })
        {
            if (!File.Exists(required))
            {
                throw new InvalidDataException($"{Path.GetFileName(required)} is missing.");
            }
        }
        var expected = await ChecksumFile.ReadAsync(BackupFileNames.ChecksumPath(archivePath), cancellationToken);
        var manifest = await ManifestJson.ReadAsync(BackupFileNames.ManifestPath(archivePath), cancellationToken);
        var manifestName = Path.GetFileName(BackupFileNames.ManifestPath(archivePath));
        if (manifest.Entries is null)
        {
            throw new InvalidDataException($"{manifestName} lists no entries.");
        }
        // Anyone who can write the destination can edit a manifest: a path missing or listed twice is refused here,
        // not met later as an exception no caller expects (retention, listing and restore all verify).
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            if (entry?.Path is null)
            {
                throw new InvalidDataException($"{manifestName} has an entry without a path.");
            }
            if (!paths.Add(entry.Path))
            {
                throw new InvalidDataException($"{manifestName} lists '{entry.Path}' twice.");
            }
        }
        return (expected, manifest);
    }

    /// <summary>Checks an archive against a checksum and manifest given here (a backup's, before its files are renamed).</summary>
    public static async Task<VerificationResult> VerifyAsync(
        string archivePath, string expectedSha256, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(archivePath);
        var actual = await ChecksumFile.ComputeAsync(archivePath, cancellationToken);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            return VerificationResult.Invalid(name,
                $"{name}: SHA-256 is {actual} but {expectedSha256} was recorded: the archive was changed or damaged.");
        }
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        try
        {
            var problem = await CompareWithManifestAsync(file, manifest, cancellationToken);
            return problem is null ? VerificationResult.Valid(name, manifest.Entries.Count) : VerificationResult.Invalid(name, $"{name}: {problem}");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or IOException)
        {
            return VerificationResult.Invalid(name,
                $"{name}: gzip/tar data is corrupt near compressed offset {file.Position}: {ex.Message}");
        }
    }

    private static async Task<string?> CompareWithManifestAsync(Stream file, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var expected = manifest.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        await using (var tar = new TarReader(gzip, leaveOpen: true))
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var path = entry.Name.TrimEnd('/');
                if (!expected.TryGetValue(path, out var recorded))
                {
                    return $"entry '{path}' is not in the manifest.";
                }
                if (!seen.Add(path))
                {
                    return $"entry '{path}' appears twice.";
                }
                var type = EntryTypes.Of(entry.EntryType);
                if (type != recorded.Type)
                {
                    return $"entry '{path}' is a {type} but the manifest says {recorded.Type}.";
                }
                if (type == EntryTypes.File && entry.Length != recorded.Size)
                {
                    return $"entry '{path}' holds {entry.Length} bytes but the manifest says {recorded.Size} (changed while it was archived?).";
                }
                if (entry.DataStream is { } data)
                {
                    // Every byte must pass gzip's check. TarReader would read over unread content itself (gzip cannot
                    // seek), but that is its detail; reading here does not rest on it.
                    await data.CopyToAsync(Stream.Null, cancellationToken);
                }
            }
        }
        // The end-of-archive blocks come before gzip's trailer (CRC-32 and length): read it too.
        await gzip.CopyToAsync(Stream.Null, cancellationToken);
        if (seen.Count != expected.Count)
        {
            var missing = expected.Keys.First(k => !seen.Contains(k));
            return $"{expected.Count - seen.Count} entries of the manifest are not in the archive, the first '{missing}' (truncated?).";
        }
        return null;
    }
}
