using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Restore;

public sealed class RestoreTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("restore");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("a/../../escaped.txt")]
    [InlineData("/etc/escaped.txt")]
    public async Task An_entry_outside_the_target_is_refused(string entryName)
    {
        var archive = await CraftArchiveAsync(entryName);

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            ArchiveRestorer.RestoreAsync(archive, _folder.Combine("target"), CancellationToken.None));

        Assert.Contains($"'{entryName}' would be written outside the target folder", error.Message);
        Assert.False(File.Exists(_folder.Combine("escaped.txt")));
    }

    [Fact]
    public async Task A_target_that_is_not_empty_is_refused()
    {
        var archive = await CraftArchiveAsync("ok.txt");
        var target = _folder.Combine("busy");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "existing"), "x");

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            ArchiveRestorer.RestoreAsync(archive, target, CancellationToken.None));

        Assert.Contains("is not empty", error.Message);
    }

    [Fact]
    public async Task A_corrupt_archive_is_not_restored()
    {
        var archive = await CraftArchiveAsync("ok.txt");
        await File.AppendAllTextAsync(archive, "junk");

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            ArchiveRestorer.RestoreAsync(archive, _folder.Combine("target"), CancellationToken.None));

        Assert.StartsWith("Not restoring:", error.Message);
        Assert.False(Directory.Exists(_folder.Combine("target")));
    }

    /// <summary>An archive with a valid checksum and manifest holding one entry named <paramref name="entryName"/>.</summary>
    private async Task<string> CraftArchiveAsync(string entryName)
    {
        var archive = _folder.Combine(BackupFileNames.ArchiveName(DateTimeOffset.UtcNow, 1));
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream([1, 2, 3]) };
            await tar.WriteEntryAsync(entry);
        }
        var manifest = new BackupManifest(Guid.NewGuid(), DateTimeOffset.UtcNow, ["/x"],
            [new ManifestEntry(entryName, EntryTypes.File, 3, "0644", DateTimeOffset.UtcNow, null)], new ManifestTotals(1, 0, 0, 3));
        await using (var stream = File.Create(BackupFileNames.ManifestPath(archive)))
        {
            await ManifestJson.WriteAsync(manifest, stream, CancellationToken.None);
        }
        await File.WriteAllTextAsync(BackupFileNames.ChecksumPath(archive),
            ChecksumFile.Format(await ChecksumFile.ComputeAsync(archive, CancellationToken.None), Path.GetFileName(archive)));
        return archive;
    }
}
