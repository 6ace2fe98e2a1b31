using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Restore;

/// <summary>
/// One HTTP restore at a time, and it does not wait: a semaphore in this process and an exclusive lock on
/// <c>.restore.lock</c> in the destination for the replicas that share it (<c>flock</c>, released by the kernel when
/// a process dies, as <see cref="BackupLock"/>). A restore reads a whole archive and writes as much again; two at
/// once would only share the disk, or race for the same target.
/// </summary>
internal sealed class RestoreLock
{
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <summary>The lock if no restore runs here or in another replica; null otherwise.</summary>
    public IDisposable? TryAcquire(string destination)
    {
        if (!_inProcess.Wait(0))
        {
            return null;
        }
        try
        {
            var file = new FileStream(Path.Combine(destination, BackupFileNames.RestoreLockFileName),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new Held(this, file);
        }
        catch (IOException ex) when (ex is not (DirectoryNotFoundException or PathTooLongException))
        {
            _inProcess.Release();
            return null;
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    private sealed class Held(RestoreLock owner, FileStream file) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                file.Dispose();
                owner._inProcess.Release();
            }
        }
    }
}
