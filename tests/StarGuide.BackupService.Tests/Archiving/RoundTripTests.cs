using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Archiving;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Backup_then_restore_gives_back_content_modes_times_and_links()
    {
        using var harness = new BackupHarness("roundtrip");
        SampleTree.Create(harness.Sources);

        var run = await harness.BackupAsync();
        Assert.True(run.State == BackupRunState.Completed, run.Reason);
        var target = harness.Scratch("restored");
        var result = await ArchiveRestorer.RestoreAsync(run.Archive!, target,
            RestorePolicy.CommandLine(new RestoreOptions(), keepSpecialBits: false), CancellationToken.None);

        var restored = Path.Combine(target, harness.Sources.TrimStart('/'));
        Assert.Equal(TreeSnapshot.Of(harness.Sources), TreeSnapshot.Of(restored));
        Assert.Equal(4, result.Symlinks);
        Assert.Equal(File.GetUnixFileMode(harness.Sources), File.GetUnixFileMode(restored));
    }

    [Fact]
    public async Task Completed_event_describes_the_archive_on_disk()
    {
        using var harness = new BackupHarness("event");
        SampleTree.Create(harness.Sources);

        var run = await harness.BackupAsync();

        var completed = Assert.Single(harness.Events.Completed);
        Assert.Equal(run.Id, completed.BackupId);
        Assert.Equal(run.Archive, completed.Path);
        Assert.Equal(new FileInfo(completed.Path).Length, completed.SizeBytes);
        Assert.Equal(5, completed.FileCount);
        var checksum = await File.ReadAllTextAsync(BackupFileNames.ChecksumPath(completed.Path));
        Assert.Equal($"{completed.Sha256}  {Path.GetFileName(completed.Path)}\n", checksum);
        Assert.Matches(@"^starguide-backup-\d{8}T\d{6}Z\.tar\.gz$", Path.GetFileName(completed.Path));
        Assert.Empty(harness.Events.Failed);
    }

    [Fact]
    public async Task A_source_that_is_a_file_is_archived_under_its_path()
    {
        using var harness = new BackupHarness("single-file", s => s["Backup:Sources:1:Path"] = "/etc/hostname");
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);

        var run = await harness.BackupAsync();

        Assert.True(run.State == BackupRunState.Completed, run.Reason);
        var manifest = await ManifestJson.ReadAsync(BackupFileNames.ManifestPath(run.Archive!), CancellationToken.None);
        Assert.Contains(manifest.Entries, e => e.Path == "etc/hostname" && e.Type == EntryTypes.File);
    }
}
