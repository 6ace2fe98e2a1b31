using Microsoft.Extensions.Options;
using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Scheduling;

/// <summary>
/// Runs a backup at each occurrence of <c>Backup:Schedule</c> (UTC). An occurrence that falls while a backup runs is
/// not made up for; the next one is computed from the time the run ends.
/// </summary>
internal sealed partial class BackupScheduler(
    IOptions<BackupOptions> options,
    BackupRunner runner,
    TimeProvider timeProvider,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    // Task.Delay takes at most ~49 days; a yearly schedule simply waits in several steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Schedule))
        {
            LogNoSchedule(logger);
            return;
        }
        var schedule = BackupSchedule.Parse(options.Value.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            if (BackupSchedule.NextAfter(schedule, now) is not { } next)
            {
                LogNoSchedule(logger);
                return;
            }
            LogNext(logger, next);
            while (timeProvider.GetUtcNow() < next)
            {
                var wait = next - timeProvider.GetUtcNow();
                await Task.Delay(wait < LongestWait ? wait : LongestWait, timeProvider, stoppingToken);
            }
            await runner.RunAsync(Guid.NewGuid(), "schedule", stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No backup schedule: backups run only on request")]
    private static partial void LogNoSchedule(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Next scheduled backup at {Next:u}")]
    private static partial void LogNext(ILogger logger, DateTimeOffset next);
}
