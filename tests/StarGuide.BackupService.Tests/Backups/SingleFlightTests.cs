using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Backups;

/// <summary>One backup at a time, in this process and across replicas that share the destination.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task Two_overlapping_requests_run_one_after_the_other_and_both_complete()
    {
        var runs = new ConcurrentRuns();
        using var harness = new BackupHarness("overlap", logging: runs.AddTo);
        WriteBulk(harness.Sources);

        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid()];
        var results = await Task.WhenAll(ids.Select(id => harness.Runner.RunAsync(id, "test", CancellationToken.None)));

        Assert.Equal(2, runs.Started);
        Assert.Equal(1, runs.MostAtOnce);
        Assert.All(results, r => Assert.True(r.State == BackupRunState.Completed, r.Reason));
        Assert.NotEqual(results[0].Archive, results[1].Archive);
        Assert.Equal(2, harness.Events.Completed.Count);
        Assert.Equal(2, BackupCatalog.List(harness.Destination).Count);
    }

    [Fact]
    public async Task A_backup_waits_while_another_replica_holds_the_lock_and_http_style_start_is_refused()
    {
        using var harness = new BackupHarness("replica");
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        Directory.CreateDirectory(harness.Destination);
        var otherReplica = new FileStream(Path.Combine(harness.Destination, BackupFileNames.LockFileName),
            FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Task<BackupRun> queued;
        try
        {
            Assert.Null(harness.Runner.TryStart(Guid.NewGuid(), "http"));
            queued = harness.Runner.RunAsync(Guid.NewGuid(), "event", CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(queued.IsCompleted);
            Assert.Empty(BackupCatalog.List(harness.Destination));
        }
        finally
        {
            await otherReplica.DisposeAsync();
        }

        var run = await queued.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(run.State == BackupRunState.Completed, run.Reason);
    }

    [Fact]
    public async Task The_same_backup_id_twice_makes_one_backup()
    {
        using var harness = new BackupHarness("idempotent");
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        var id = Guid.NewGuid();

        var runs = await Task.WhenAll(
            harness.Runner.RunAsync(id, "first delivery", CancellationToken.None),
            harness.Runner.RunAsync(id, "redelivery", CancellationToken.None));

        Assert.Same(runs[0], runs[1]);
        Assert.Single(BackupCatalog.List(harness.Destination));
        Assert.Single(harness.Events.Completed);
    }

    [Fact]
    public async Task A_backup_id_completed_before_a_restart_is_not_run_again()
    {
        using var harness = new BackupHarness("restart");
        SampleTree.Write(harness.Sources, "a.txt", "a", (UnixFileMode)0b110_100_100);
        var id = Guid.NewGuid();
        var first = await harness.Runner.RunAsync(id, "before restart", CancellationToken.None);
        using var restarted = new BackupHarness("restart", s => s["Backup:Destination"] = harness.Destination);

        var again = await restarted.Runner.RunAsync(id, "after restart", CancellationToken.None);

        Assert.Equal(BackupRunState.Completed, again.State);
        Assert.Equal(first.Archive, again.Archive);
        Assert.Single(BackupCatalog.List(harness.Destination));
    }

    /// <summary>About 24 MB, so that a backup lasts long enough for a second request to arrive during it.</summary>
    private static void WriteBulk(string root)
    {
        var random = new Random(3);
        var buffer = new byte[4 * 1024 * 1024];
        for (var i = 0; i < 6; i++)
        {
            random.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(root, $"bulk-{i}.bin"), buffer);
        }
    }
}
