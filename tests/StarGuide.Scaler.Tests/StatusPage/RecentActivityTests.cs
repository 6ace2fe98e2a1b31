using StarGuide.Scaler.StatusPage;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.StatusPage;

public sealed class RecentActivityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Keeps_the_newest_100_entries_newest_first()
    {
        var activity = new RecentActivity();
        for (var i = 1; i <= 150; i++)
        {
            activity.Add(new ActivityEntry(T0.AddSeconds(i), "backend", "instance", $"backend-{i}", "started"));
        }

        var (entries, _) = activity.Read();

        Assert.Equal(RecentActivity.EntryCapacity, entries.Count);
        Assert.Equal("backend-150", entries[0].InstanceId);
        Assert.Equal("backend-51", entries[^1].InstanceId);
    }

    [Fact]
    public void A_redelivered_backup_is_listed_once_and_only_the_last_10_are_kept()
    {
        var activity = new RecentActivity();
        var first = new BackupReport(Guid.NewGuid(), Verified: true, T0, "/backups/a.tar.gz", 10, "ab", 1, 0.5);
        activity.AddBackup(first);
        var version = activity.Version;
        activity.AddBackup(first);
        Assert.Equal(version, activity.Version);

        for (var i = 0; i < 12; i++)
        {
            activity.AddBackup(new BackupReport(Guid.NewGuid(), Verified: false, T0.AddMinutes(i + 1), Reason: $"failure {i}"));
        }

        var (_, backups) = activity.Read();
        Assert.Equal(RecentActivity.BackupCapacity, backups.Count);
        Assert.Equal("failure 11", backups[0].Reason);
        Assert.DoesNotContain(backups, b => b.BackupId == first.BackupId);
    }

    [Fact]
    public async Task Changed_completes_at_the_next_addition_only()
    {
        var activity = new RecentActivity();
        var changed = activity.Changed;
        Assert.False(changed.IsCompleted);

        activity.Add(new ActivityEntry(T0, "backend", "scale", null, "desired 2 → 3 by alice: operator"));

        await changed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(activity.Changed.IsCompleted);
    }
}
