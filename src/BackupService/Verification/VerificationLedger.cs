using System.Collections.Concurrent;

namespace StarGuide.BackupService.Verification;

/// <summary>
/// The last verification result per archive, so that listing backups or applying retention does not re-read every
/// archive. A result is reused only while the archive's size and modification time are unchanged.
/// </summary>
internal sealed class VerificationLedger
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Mtime, VerificationResult Result)> _results =
        new(StringComparer.Ordinal);

    public async Task<VerificationResult> VerifyAsync(string archivePath, CancellationToken cancellationToken)
    {
        var result = await ArchiveVerifier.VerifyAsync(archivePath, cancellationToken);
        Record(archivePath, result);
        return result;
    }

    /// <summary>The verified result when it still applies; otherwise verifies now.</summary>
    public async Task<VerificationResult> CachedOrVerifyAsync(string archivePath, CancellationToken cancellationToken) =>
        Known(archivePath) ?? await VerifyAsync(archivePath, cancellationToken);

    /// <summary>The last result if the archive has not changed since; null when unknown.</summary>
    public VerificationResult? Known(string archivePath)
    {
        var file = new FileInfo(archivePath);
        return _results.TryGetValue(archivePath, out var known) && file.Exists
            && known.Length == file.Length && known.Mtime == file.LastWriteTimeUtc
            ? known.Result
            : null;
    }

    public void Record(string archivePath, VerificationResult result)
    {
        var file = new FileInfo(archivePath);
        if (file.Exists)
        {
            _results[archivePath] = (file.Length, file.LastWriteTimeUtc, result);
        }
    }

    public void Forget(string archivePath) => _results.TryRemove(archivePath, out _);
}
