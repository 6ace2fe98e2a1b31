namespace StarGuide.BackupService.Backups;

/// <summary>One requested backup and how it ended; shared by every request that names the same id.</summary>
internal sealed class BackupRun(Guid id, string requestedBy)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid Id { get; } = id;

    public string RequestedBy { get; } = requestedBy;

    public BackupRunState State { get; private set; } = BackupRunState.Queued;

    public string? Archive { get; private set; }

    public string? Reason { get; private set; }

    public Task Finished => _finished.Task;

    public void MarkRunning() => State = BackupRunState.Running;

    public void Complete(string archive)
    {
        Archive = archive;
        State = BackupRunState.Completed;
        _finished.TrySetResult();
    }

    public void Fail(string reason)
    {
        Reason = reason;
        State = BackupRunState.Failed;
        _finished.TrySetResult();
    }
}

internal enum BackupRunState
{
    Queued,
    Running,
    Completed,
    Failed,
}
