using Microsoft.Extensions.Logging.Testing;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Retention;
using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Retention;

/// <summary>
/// The cleaner on a destination of crafted archives that verify: what it deletes, what it reports, and that it forgets
/// what it knew about a deleted archive.
/// </summary>
public sealed class RetentionCleanerTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("cleaner");
    private readonly VerificationLedger _ledger = new();
    private readonly FakeLogger<RetentionCleaner> _logger = new();

    public void Dispose() => _folder.Dispose();

    private string Destination => _folder.Combine("backups");

    [Fact]
    public async Task Each_archive_deleted_goes_with_its_sidecars_and_is_returned_and_logged_by_name()
    {
        var oldest = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a.txt"));
        var middle = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a.txt"));
        var newest = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a.txt"));
        await File.WriteAllTextAsync(Path.Combine(Destination, "notes.txt"), "operator's notes");

        var deleted = await Cleaner().ApplyAsync(Destination, 1, CancellationToken.None);

        Assert.Equal([middle, oldest], deleted);
        Assert.Equal(
            ["notes.txt", Path.GetFileName(newest), Path.GetFileName(BackupFileNames.ManifestPath(newest)), Path.GetFileName(BackupFileNames.ChecksumPath(newest))],
            Directory.EnumerateFiles(Destination).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            [$"Deleted {Path.GetFileName(middle)}: more than 1 backups", $"Deleted {Path.GetFileName(oldest)}: more than 1 backups"],
            _logger.Collector.GetSnapshot().Select(r => r.Message));
    }

    [Fact]
    public async Task An_archive_put_back_after_retention_deleted_it_is_verified_afresh()
    {
        var old = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a.txt", new string('a', 4096)));
        Assert.True((await _ledger.VerifyAsync(old, CancellationToken.None)).IsValid);
        var saved = await File.ReadAllBytesAsync(old);
        var savedTime = File.GetLastWriteTimeUtc(old);
        var sidecars = await SaveSidecarsAsync(old);
        await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a.txt"));

        Assert.Equal([old], await Cleaner().ApplyAsync(Destination, 1, CancellationToken.None));

        // An operator copies the archive back from elsewhere, damaged on the way: same size, same time (cp -p).
        saved[saved.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(old, saved);
        File.SetLastWriteTimeUtc(old, savedTime);
        foreach (var (path, bytes) in sidecars)
        {
            await File.WriteAllBytesAsync(path, bytes);
        }

        Assert.Null(_ledger.Known(old));
        Assert.False((await _ledger.CachedOrVerifyAsync(old, CancellationToken.None)).IsValid);
    }

    private RetentionCleaner Cleaner() => new(_ledger, _logger);

    private static async Task<List<(string Path, byte[] Bytes)>> SaveSidecarsAsync(string archive) =>
    [
        (BackupFileNames.ChecksumPath(archive), await File.ReadAllBytesAsync(BackupFileNames.ChecksumPath(archive))),
        (BackupFileNames.ManifestPath(archive), await File.ReadAllBytesAsync(BackupFileNames.ManifestPath(archive))),
    ];
}
