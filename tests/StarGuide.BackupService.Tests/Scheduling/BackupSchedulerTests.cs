using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Scheduling;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Scheduling;

public sealed class BackupSchedulerTests
{
    [Fact]
    public async Task A_backup_runs_when_the_next_occurrence_comes_and_not_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 2, 58, 0, TimeSpan.Zero));
        using var harness = new BackupHarness("schedule", s => s["Backup:Schedule"] = "0 3 * * *", time);
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        var schedulerTime = new TimerSignallingTimeProvider(time);
        using var scheduler = new BackupScheduler(harness.Services.GetRequiredService<IOptions<BackupOptions>>(),
            harness.Runner, schedulerTime, NullLogger<BackupScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            // The clock moves only once the scheduler waits for 03:00 (it reads the clock in a loop that may start late).
            await schedulerTime.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30));

            // Short of 03:00 nothing runs, however long the test waits.
            await AdvanceUntilAsync(time, TimeSpan.FromSeconds(30), until: new DateTimeOffset(2026, 11, 27, 2, 59, 59, TimeSpan.Zero), () => false);
            Assert.Empty(BackupCatalog.List(harness.Destination));

            // The clock moves to the occurrence and stands still there (moving it on while the run starts would name
            // the archive after a later second on a slow machine), so the archive is named after the occurrence.
            time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (harness.Events.All.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Single(harness.Events.Completed);

            var archive = Assert.Single(BackupCatalog.List(harness.Destination));
            Assert.Equal(new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero), archive.CreatedAt);
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("0 3 * * *", "2026-11-27T02:59:00Z", "2026-11-27T03:00:00Z")]
    [InlineData("0 3 * * *", "2026-11-27T03:00:00Z", "2026-11-28T03:00:00Z")]
    [InlineData("*/15 * * * *", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("30 */10 * * * *", "2026-11-27T08:00:00Z", "2026-11-27T08:00:30Z")]
    public void Next_occurrence_is_computed_in_utc(string cron, string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), BackupSchedule.NextAfter(BackupSchedule.Parse(cron), DateTimeOffset.Parse(now)));

    /// <summary>Moves fake time in steps, letting the scheduler react to each, until the condition holds or time reaches <paramref name="until"/>.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, DateTimeOffset? until, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && (until is null || time.GetUtcNow() + step <= until))
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduled backup did not run");
            time.Advance(step);
            await Task.Delay(20);
        }
    }
}
