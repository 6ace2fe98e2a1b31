namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// A backup as the backup service announced it: <c>BackupCompleted</c> (written and verified: the archive was read
/// back against its manifest and SHA-256) or <c>BackupFailed</c> with the reason.
/// </summary>
internal sealed record BackupReport(
    Guid BackupId,
    bool Verified,
    DateTimeOffset At,
    string? Path = null,
    long? SizeBytes = null,
    string? Sha256 = null,
    int? FileCount = null,
    double? DurationSeconds = null,
    string? Reason = null);
