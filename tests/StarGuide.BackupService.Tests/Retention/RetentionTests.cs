using Microsoft.Extensions.Time.Testing;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Retention;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Retention;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Twelve_backups_with_keep_10_leave_the_newest_10_and_other_files_alone()
    {
        var time = new FakeTimeProvider(Start);
        using var harness = new BackupHarness("retention", s => s["Backup:Keep"] = "10", time);
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        Directory.CreateDirectory(harness.Destination);
        await File.WriteAllTextAsync(Path.Combine(harness.Destination, "notes.txt"), "operator's notes");
        await File.WriteAllTextAsync(Path.Combine(harness.Destination, "starguide-backup-manual.tar.gz"), "not ours");

        for (var i = 0; i < 12; i++)
        {
            var run = await harness.BackupAsync();
            Assert.True(run.State == BackupRunState.Completed, run.Reason);
            time.Advance(TimeSpan.FromHours(1));
        }

        var archives = BackupCatalog.List(harness.Destination);
        Assert.Equal(10, archives.Count);
        Assert.Equal(Start.AddHours(11), archives[0].CreatedAt);
        Assert.Equal(Start.AddHours(2), archives[^1].CreatedAt);
        var files = Directory.GetFiles(harness.Destination).Select(Path.GetFileName).ToList();
        Assert.Equal(10 * 3 + 2, files.Count(f => f != BackupFileNames.LockFileName));
        Assert.Contains("notes.txt", files);
        Assert.Contains("starguide-backup-manual.tar.gz", files);
    }

    [Fact]
    public async Task Two_backups_in_one_second_get_distinct_names()
    {
        var time = new FakeTimeProvider(Start);
        using var harness = new BackupHarness("same-second", timeProvider: time);
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);

        var first = await harness.BackupAsync();
        var second = await harness.BackupAsync();

        Assert.Equal("starguide-backup-20261127T080000Z.tar.gz", Path.GetFileName(first.Archive));
        Assert.Equal("starguide-backup-20261127T080000Z-2.tar.gz", Path.GetFileName(second.Archive));
        Assert.Equal(second.Archive, BackupCatalog.List(harness.Destination)[0].Path);
    }

    [Fact]
    public async Task The_newest_archive_that_verifies_is_kept_when_the_newest_n_do_not()
    {
        var archives = Enumerable.Range(1, 5).Reverse()
            .Select(i => new BackupArchive($"/b/{i}", Start.AddHours(i), 1)).ToList();
        var good = new HashSet<string> { "/b/3", "/b/1" };

        var doomed = await RetentionPolicy.ToDeleteAsync(archives, 2, a => Task.FromResult(good.Contains(a.Path)));

        Assert.Equal(["/b/2", "/b/1"], doomed.Select(a => a.Path));
    }

    [Fact]
    public async Task Nothing_is_deleted_while_there_are_no_more_than_keep()
    {
        var archives = new[] { new BackupArchive("/b/1", Start, 1) };

        var doomed = await RetentionPolicy.ToDeleteAsync(archives, 1, _ => Task.FromResult(false));

        Assert.Empty(doomed);
    }

    [Fact]
    public async Task Retention_asks_about_verification_only_until_an_archive_verifies()
    {
        var archives = Enumerable.Range(1, 4).Reverse().Select(i => new BackupArchive($"/b/{i}", Start.AddHours(i), 1)).ToList();
        var asked = new List<string>();

        await RetentionPolicy.ToDeleteAsync(archives, 1, a =>
        {
            asked.Add(a.Path);
            return Task.FromResult(true);
        });

        Assert.Equal(["/b/4"], asked);
    }
}
