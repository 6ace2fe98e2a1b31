using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Messaging;
using StarGuide.BackupService.Retention;
using StarGuide.BackupService.Verification;
using StarGuide.Contracts;

namespace StarGuide.BackupService.Backups;

/// <summary>
/// Runs backups one at a time (<see cref="BackupLock"/>), each once per id, and reports every outcome: an event,
/// metrics and a log line. Retention runs after each success.
/// </summary>
internal sealed partial class BackupRunner(
    IOptionsMonitor<BackupOptions> options,
    BackupLock backupLock,
    RetentionCleaner retention,
    VerificationLedger ledger,
    IBackupEvents events,
    BackupMetrics metrics,
    TimeProvider timeProvider,
    ILogger<BackupRunner> logger) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, BackupRun> _runs = new();
    private readonly CancellationTokenSource _stopping = new();

    public Guid? RunningId => backupLock.RunningId;

    public BackupRun? Find(Guid id) => _runs.GetValueOrDefault(id);

    /// <summary>Runs the backup after any running one; a known id returns the earlier run's outcome instead.</summary>
    public async Task<BackupRun> RunAsync(Guid id, string requestedBy, CancellationToken cancellationToken)
    {
        var run = new BackupRun(id, requestedBy);
        if (!_runs.TryAdd(id, run))
        {
            LogDuplicate(logger, id);
            var earlier = _runs[id];
            await earlier.Finished.WaitAsync(cancellationToken);
            return earlier;
        }
        var destination = options.CurrentValue.Destination;
        if (ArchiveOnDisk(destination, id) is { } existing)
        {
            LogDuplicate(logger, id);
            run.Complete(existing);
            return run;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            using var held = await backupLock.AcquireAsync(destination, id, linked.Token);
            await ExecuteAsync(run, linked.Token);
        }
        catch (Exception ex) when (run.State == BackupRunState.Queued)
        {
            Report(run, Describe(ex), TimeSpan.Zero);
        }
        return run;
    }

    /// <summary>Starts a backup in the background if none is running here or in another replica; null otherwise.</summary>
    public BackupRun? TryStart(Guid id, string requestedBy)
    {
        var held = backupLock.TryAcquire(options.CurrentValue.Destination, id);
        if (held is null)
        {
            return null;
        }
        var run = new BackupRun(id, requestedBy);
        _runs[id] = run;
        _ = Task.Run(async () =>
        {
            using (held)
            {
                await ExecuteAsync(run, _stopping.Token);
            }
        });
        return run;
    }

    private async Task ExecuteAsync(BackupRun run, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var started = timeProvider.GetTimestamp();
        run.MarkRunning();
        LogStarted(logger, run.Id, run.RequestedBy);
        WrittenBackup written;
        try
        {
            DeleteLeftovers(current.Destination);
            written = await BackupFileWriter.WriteAsync(run.Id, timeProvider.GetUtcNow(), current, cancellationToken);
        }
        catch (Exception ex)
        {
            Report(run, Describe(ex), timeProvider.GetElapsedTime(started));
            return;
        }
        ledger.Record(written.ArchivePath, VerificationResult.Valid(Path.GetFileName(written.ArchivePath), written.Manifest.Entries.Count));
        var duration = timeProvider.GetElapsedTime(started);
        var completedAt = timeProvider.GetUtcNow();
        metrics.RecordSuccess(completedAt, duration, written.SizeBytes);
        events.Announce(new BackupCompleted(run.Id, written.ArchivePath, written.SizeBytes, written.Sha256,
            written.Manifest.Totals.Files, duration, completedAt));
        LogCompleted(logger, run.Id, written.ArchivePath, written.SizeBytes, written.Manifest.Totals.Files, duration);
        run.Complete(written.ArchivePath);
        try
        {
            await retention.ApplyAsync(current.Destination, current.Keep, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // The backup itself is whole; too many old ones is for the next run to fix.
            LogRetentionFailed(logger, ex, current.Destination);
        }
    }

    /// <summary>What an interrupted backup left; only call while holding the lock.</summary>
    internal void DeleteLeftovers(string destination)
    {
        foreach (var leftover in BackupCatalog.DeleteLeftovers(destination))
        {
            LogLeftover(logger, leftover);
        }
    }

    private void Report(BackupRun run, string reason, TimeSpan duration)
    {
        metrics.RecordFailure(duration);
        events.Announce(new BackupFailed(run.Id, reason, timeProvider.GetUtcNow()));
        LogFailed(logger, run.Id, reason);
        run.Fail(reason);
    }

    private static string Describe(Exception ex) => ex switch
    {
        BackupException => ex.Message,
        OperationCanceledException => "The backup was cancelled: the service is stopping.",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>A backup that completed before a restart: its manifest starts with its id.</summary>
    private static string? ArchiveOnDisk(string destination, Guid id)
    {
        var needle = id.ToString();
        foreach (var archive in BackupCatalog.List(destination))
        {
            try
            {
                using var reader = new StreamReader(BackupFileNames.ManifestPath(archive.Path));
                var head = new char[256];
                var read = reader.ReadBlock(head);
                if (new string(head, 0, read).Contains(needle, StringComparison.OrdinalIgnoreCase))
                {
                    return archive.Path;
                }
            }
            catch (IOException)
            {
                // A damaged or missing manifest cannot name the id; verification reports it.
            }
        }
        return null;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupId} started (requested by {RequestedBy})")]
    private static partial void LogStarted(ILogger logger, Guid backupId, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupId} completed: {Archive}, {SizeBytes} bytes, {FileCount} files in {Duration}")]
    private static partial void LogCompleted(ILogger logger, Guid backupId, string archive, long sizeBytes, int fileCount, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {BackupId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid backupId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {BackupId} was requested before; not running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid backupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted {Path}, left by an interrupted backup")]
    private static partial void LogLeftover(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention in {Destination} failed; older backups stay until the next run")]
    private static partial void LogRetentionFailed(ILogger logger, Exception ex, string destination);
}
