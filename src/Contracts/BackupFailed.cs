namespace StarGuide.Contracts;

/// <summary>A backup did not complete; no partial archive was left behind.</summary>
/// <param name="Reason">The cause, naming the path or resource involved.</param>
public sealed record BackupFailed(
    Guid BackupId,
    string Reason,
    DateTimeOffset FailedAt);
