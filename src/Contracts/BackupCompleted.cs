namespace StarGuide.Contracts;

/// <summary>A backup was written, flushed, renamed into place and verified.</summary>
/// <param name="Path">Full path of the archive.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the archive file.</param>
public sealed record BackupCompleted(
    Guid BackupId,
    string Path,
    long SizeBytes,
    string Sha256,
    int FileCount,
    TimeSpan Duration,
    DateTimeOffset CompletedAt);
