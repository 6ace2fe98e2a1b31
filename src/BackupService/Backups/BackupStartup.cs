using Microsoft.Extensions.Options;

namespace StarGuide.BackupService.Backups;

/// <summary>
/// At start: deletes what an interrupted backup left (only when no other replica holds the lock, since its partial
/// files are in use then) and seeds the last-success metric from the newest archive on disk.
/// </summary>
internal sealed partial class BackupStartup(
    IOptions<BackupOptions> options, BackupLock backupLock, BackupRunner runner, BackupMetrics metrics, ILogger<BackupStartup> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var destination = options.Value.Destination;
        using (var held = backupLock.TryAcquire(destination, Guid.Empty))
        {
            if (held is not null)
            {
                runner.DeleteLeftovers(destination);
            }
        }
        if (BackupCatalog.List(destination) is [var newest, ..])
        {
            metrics.SeedLastSuccess(newest.CreatedAt, new FileInfo(newest.Path).Length);
        }
        LogReady(logger, destination, options.Value.Sources.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Backups of {SourceCount} sources go to {Destination}")]
    private static partial void LogReady(ILogger logger, string destination, int sourceCount);
}
