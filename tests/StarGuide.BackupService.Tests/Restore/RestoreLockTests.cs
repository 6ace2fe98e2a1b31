using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>One HTTP restore at a time, in this process and across replicas sharing the destination; never waits.</summary>
public sealed class RestoreLockTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("restore-lock");
    private readonly RestoreLock _lock = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_second_restore_in_this_process_is_refused_until_the_first_ends()
    {
        var first = _lock.TryAcquire(_folder.Path);
        Assert.NotNull(first);

        Assert.Null(_lock.TryAcquire(_folder.Path));
        first.Dispose();
        using var again = _lock.TryAcquire(_folder.Path);
        Assert.NotNull(again);
    }

    [Fact]
    public void Ending_a_restore_twice_frees_one_place_not_two()
    {
        var first = _lock.TryAcquire(_folder.Path)!;
        first.Dispose();
        first.Dispose();

        using var second = _lock.TryAcquire(_folder.Path);
        Assert.NotNull(second);
        Assert.Null(_lock.TryAcquire(_folder.Path));
    }

    [Fact]
    public void A_restore_in_another_replica_refuses_this_one_without_holding_this_process_up()
    {
        var lockFile = Path.Combine(_folder.Path, BackupFileNames.RestoreLockFileName);
        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Null(_lock.TryAcquire(_folder.Path));
        }

        using var after = _lock.TryAcquire(_folder.Path);
        Assert.NotNull(after);
    }

    [Fact]
    public void A_missing_destination_is_an_error_and_leaves_the_lock_free()
    {
        var missing = _folder.Combine("missing");

        Assert.Throws<DirectoryNotFoundException>(() => _lock.TryAcquire(missing));

        using var after = _lock.TryAcquire(_folder.Path);
        Assert.NotNull(after);
    }
}
