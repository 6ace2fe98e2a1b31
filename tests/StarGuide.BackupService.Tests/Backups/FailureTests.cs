using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Backups;

/// <summary>Every failure is reported naming its cause, leaves no partial file and leaves earlier backups as they were.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task A_file_that_cannot_be_archived_midway_fails_the_backup_and_leaves_earlier_ones_intact()
    {
        using var harness = new BackupHarness("midway");
        SampleTree.Create(harness.Sources);
        await AssertCompletedAsync(harness);
        var before = harness.DestinationFiles();

        // Sorted after the sample's folders and files, so the archive is well under way when it fails.
        var socketPath = Path.Combine(harness.Sources, "zz-app.sock");
        using (SampleTree.CreateSocket(socketPath))
        {
            var run = await harness.BackupAsync();

            Assert.Equal(BackupRunState.Failed, run.State);
            var failed = Assert.Single(harness.Events.Failed);
            Assert.Equal(run.Id, failed.BackupId);
            Assert.Contains($"Cannot archive '{socketPath}'", failed.Reason);
        }
        AssertUnchanged(before, harness.DestinationFiles());
    }

    [Fact]
    public async Task A_missing_source_fails_naming_it()
    {
        var missing = "/nonexistent/starguide-" + Guid.NewGuid().ToString("N");
        using var harness = new BackupHarness("missing", s => s["Backup:Sources:1:Path"] = missing);

        var run = await harness.BackupAsync();

        Assert.Equal(BackupRunState.Failed, run.State);
        Assert.Equal($"Backup source '{missing}' does not exist.", Assert.Single(harness.Events.Failed).Reason);
        Assert.Empty(harness.DestinationFiles());
    }

    [Fact]
    public async Task A_source_root_that_is_a_dangling_or_looping_link_fails_naming_it()
    {
        using var harness = new BackupHarness("root-link", s => s["Backup:Sources:0:Path"] = "/placeholder");
        var looping = harness.Scratch("loop");
        File.CreateSymbolicLink(looping, looping);
        var dangling = harness.Scratch("dangling");
        File.CreateSymbolicLink(dangling, harness.Scratch("nothing-here"));

        foreach (var source in new[] { looping, dangling })
        {
            using var single = new BackupHarness("root-link", s => s["Backup:Sources:0:Path"] = source);
            var run = await single.BackupAsync();
            Assert.Equal(BackupRunState.Failed, run.State);
            Assert.StartsWith($"Backup source '{source}' is a symbolic link", run.Reason);
            Assert.Empty(single.DestinationFiles());
        }
    }

    [SkippableFact]
    public async Task A_full_disk_fails_the_backup_and_leaves_earlier_ones_intact()
    {
        using var harness = new BackupHarness("full-disk");
        using var mount = TmpfsMount.TryMount(harness.Destination, 256, out var reason);
        Need.TmpfsMount.Check(mount is not null, reason);
        SampleTree.Write(harness.Sources, "small.txt", "small", (UnixFileMode)0b110_100_100);
        await AssertCompletedAsync(harness);
        var before = harness.DestinationFiles();
        var incompressible = new byte[1024 * 1024];
        new Random(7).NextBytes(incompressible);
        await File.WriteAllBytesAsync(Path.Combine(harness.Sources, "big.bin"), incompressible);

        var run = await harness.BackupAsync();

        Assert.Equal(BackupRunState.Failed, run.State);
        Assert.Contains("No space left on device", run.Reason);
        AssertUnchanged(before, harness.DestinationFiles());
    }

    [Fact]
    public async Task What_a_crash_left_is_deleted_by_the_next_backup_and_nothing_else()
    {
        using var harness = new BackupHarness("crash-leftovers");
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        Directory.CreateDirectory(harness.Destination);
        string[] leftovers = [".partial-0123.tar.gz", ".partial-0123.sha256", "starguide-backup-20260101T000000Z.tar.gz.sha256"];
        foreach (var name in leftovers.Append("notes.txt"))
        {
            await File.WriteAllTextAsync(Path.Combine(harness.Destination, name), "x");
        }

        await AssertCompletedAsync(harness);

        var names = harness.DestinationFiles().Keys.ToList();
        Assert.DoesNotContain(names, leftovers.Contains);
        Assert.Contains("notes.txt", names);
        Assert.Equal(4, names.Count);
    }

    private static async Task AssertCompletedAsync(BackupHarness harness)
    {
        var run = await harness.BackupAsync();
        Assert.True(run.State == BackupRunState.Completed, run.Reason);
    }

    /// <summary>The same files with the same bytes: no partial file added, nothing earlier changed or deleted.</summary>
    private static void AssertUnchanged(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after)
    {
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
        }
    }
}
