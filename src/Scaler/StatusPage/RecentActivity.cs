using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// The last <see cref="EntryCapacity"/> pool events and <see cref="BackupCapacity"/> backups, in memory only: the status
/// page's memory of what happened. A restarted scaler starts empty (the pools themselves carry on from Redis).
/// Written by the pool loops and the bus consumers, read by the page; <see cref="Changed"/> wakes the page's stream.
/// </summary>
internal sealed class RecentActivity : IPoolActivity
{
    public const int EntryCapacity = 100;
    public const int BackupCapacity = 10;

    private readonly Lock _gate = new();
    private readonly LinkedList<ActivityEntry> _entries = new();
    private readonly LinkedList<BackupReport> _backups = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>Grows with every addition, so that a cached page state can tell it is out of date.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Completes at the next addition.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Add(ActivityEntry entry)
    {
        lock (_gate)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > EntryCapacity)
            {
                _entries.RemoveLast();
            }
        }
        Signal();
    }

    /// <summary>Adds a backup unless it is known already (a redelivered event changes nothing).</summary>
    public void AddBackup(BackupReport backup)
    {
        lock (_gate)
        {
            if (_backups.Any(b => b.BackupId == backup.BackupId && b.Verified == backup.Verified))
            {
                return;
            }
            _backups.AddFirst(backup);
            if (_backups.Count > BackupCapacity)
            {
                _backups.RemoveLast();
            }
        }
        Signal();
    }

    /// <summary>Newest first.</summary>
    public (IReadOnlyList<ActivityEntry> Entries, IReadOnlyList<BackupReport> Backups) Read()
    {
        lock (_gate)
        {
            return ([.. _entries], [.. _backups]);
        }
    }

    private void Signal()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
