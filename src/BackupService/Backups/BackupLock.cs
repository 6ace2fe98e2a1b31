namespace StarGuide.BackupService.Backups;

/// <summary>
/// One backup at a time: a semaphore in this process, and an exclusive lock on <c>.backup.lock</c> in the destination
/// folder for the replicas that share it (.NET takes <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/>; the
/// kernel drops it when a process dies, so a crashed replica never leaves a stale lock).
/// </summary>
internal sealed class BackupLock(TimeProvider timeProvider)
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <summary>The backup that holds the lock in this process, if any.</summary>
    public Guid? RunningId { get; private set; }

    /// <summary>Waits until no other backup runs here or in another replica.</summary>
    public async Task<Held> AcquireAsync(string destination, Guid backupId, CancellationToken cancellationToken)
    {
        await _inProcess.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (TryLockFile(destination) is { } file)
                {
                    return Hold(file, backupId);
                }
                await Task.Delay(RetryInterval, timeProvider, cancellationToken);
            }
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    /// <summary>The lock if it is free now; null when a backup runs here or in another replica.</summary>
    public Held? TryAcquire(string destination, Guid backupId)
    {
        if (!_inProcess.Wait(0))
        {
            return null;
        }
        if (TryLockFile(destination) is { } file)
        {
            return Hold(file, backupId);
        }
        _inProcess.Release();
        return null;
    }

    private Held Hold(FileStream file, Guid backupId)
    {
        RunningId = backupId;
        return new Held(this, file);
    }

    private static FileStream? TryLockFile(string destination)
    {
        // Outside the try: a destination that cannot be created is an error, not a lock held by someone else.
        Directory.CreateDirectory(destination);
        try
        {
            return new FileStream(Path.Combine(destination, BackupFileNames.LockFileName),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not (DirectoryNotFoundException or PathTooLongException))
        {
            return null;
        }
    }

    private void Release(FileStream file)
    {
        RunningId = null;
        file.Dispose();
        _inProcess.Release();
    }

    /// <summary>The held lock; disposing it releases both parts.</summary>
    internal sealed class Held(BackupLock owner, FileStream file) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(file);
            }
        }
    }
}
