namespace StarGuide.Contracts;

/// <summary>An on-demand backup. <paramref name="BackupId"/> makes a redelivered request run at most once.</summary>
public sealed record BackupRequested(
    Guid BackupId,
    string RequestedBy,
    DateTimeOffset RequestedAt);
