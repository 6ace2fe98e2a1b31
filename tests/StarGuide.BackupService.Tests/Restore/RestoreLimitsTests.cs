using System.Formats.Tar;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// <c>Backup:Restore:MaxEntries</c> and <c>MaxBytes</c> at their boundaries: an archive exactly at a limit restores,
/// one entry or one byte more is refused before anything is written; and a crafted manifest cannot talk the byte count
/// down.
/// </summary>
public sealed class RestoreLimitsTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("limits");

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    private string Target => _folder.Combine("target");

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public async Task An_archive_with_exactly_MaxEntries_entries_restores_and_one_more_is_refused(int entries, bool restores)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, [.. Enumerable.Range(0, entries).Select(i => CraftedArchive.File($"f{i}"))]);

        var restore = RestoreAsync(archive, maxEntries: 3);

        if (restores)
        {
            Assert.Equal(3, (await restore).Files);
        }
        else
        {
            var error = await Assert.ThrowsAsync<BackupException>(() => restore);
            Assert.Equal("Not restoring: the archive holds 4 entries, more than Backup:Restore:MaxEntries allows (3); raise it if the archive is trusted.", error.Message);
            Assert.False(Directory.Exists(Target));
        }
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(401, false)]
    public async Task An_archive_with_exactly_MaxBytes_of_content_restores_and_one_byte_more_is_refused(int secondFile, bool restores)
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.File("a", new string('a', 600)), CraftedArchive.File("b", new string('b', secondFile)), CraftedArchive.Folder("d/"));

        var restore = RestoreAsync(archive, maxBytes: 1000);

        if (restores)
        {
            Assert.Equal(1000, (await restore).Bytes);
        }
        else
        {
            var error = await Assert.ThrowsAsync<BackupException>(() => restore);
            Assert.Equal("Not restoring: the archive holds 1001 bytes of file content, more than Backup:Restore:MaxBytes allows (1000); raise it if the archive is trusted.", error.Message);
            Assert.False(Directory.Exists(Target));
        }
    }

    [Fact]
    public async Task Sizes_that_would_overflow_saturate_instead_of_wrapping_below_the_limit()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a"), CraftedArchive.File("b"), CraftedArchive.File("c"));
        // Summed as they are, these wrap round to a negative total: under any limit.
        await CraftedArchive.RewriteManifestAsync(archive, entries =>
            [entries[0] with { Size = long.MaxValue }, entries[1] with { Size = 1 }, entries[2] with { Size = 2 }]);

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, maxBytes: 1000));

        Assert.Equal($"Not restoring: the archive holds {long.MaxValue} bytes of file content, more than Backup:Restore:MaxBytes allows (1000); raise it if the archive is trusted.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_negative_size_in_the_manifest_does_not_lower_the_count()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a", new string('a', 1500)), CraftedArchive.File("b"));
        await CraftedArchive.RewriteManifestAsync(archive, entries => [entries[0], entries[1] with { Size = -1000 }]);

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, maxBytes: 1000));

        Assert.Equal("Not restoring: the archive holds 1500 bytes of file content, more than Backup:Restore:MaxBytes allows (1000); raise it if the archive is trusted.", error.Message);
    }

    [Fact]
    public async Task Only_file_content_counts_towards_MaxBytes()
    {
        // Folders and links have no content; a size a manifest gives them anyway is not content either.
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("d/"), CraftedArchive.Link("d/l", "a"), CraftedArchive.File("d/a", new string('a', 1000)));
        await CraftedArchive.RewriteManifestAsync(archive, entries => [entries[0] with { Size = 5000 }, entries[1] with { Size = 5000 }, entries[2]]);

        var result = await RestoreAsync(archive, maxBytes: 1000);

        Assert.Equal((1, 1, 1, 1000L), (result.Files, result.Directories, result.Symlinks, result.Bytes));
    }

    [Fact]
    public async Task Empty_files_restore_once_MaxBytes_is_spent()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.File("full", new string('x', 1000)), CraftedArchive.File("empty-1", ""), CraftedArchive.File("empty-2", ""));

        var result = await RestoreAsync(archive, maxBytes: 1000);

        Assert.Equal((3, 1000L), (result.Files, result.Bytes));
        Assert.Equal(0, new FileInfo(Path.Combine(Target, "empty-2")).Length);
    }

    [SkippableTheory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task An_archive_that_fills_the_free_space_exactly_restores_and_one_byte_more_is_refused(int more, bool restores)
    {
        var small = _folder.Combine("small");
        Directory.CreateDirectory(small);
        using var mount = TmpfsMount.TryMount(small, 256, out var reason);
        Skip.If(mount is null, reason);
        var target = Path.Combine(small, "target");
        Directory.CreateDirectory(target);
        var free = new DriveInfo(target).AvailableFreeSpace;
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("fill.bin", new string('x', (int)free + more)));

        var restore = ArchiveRestorer.RestoreAsync(archive, target,
            RestorePolicy.CommandLine(new RestoreOptions(), keepSpecialBits: false), CancellationToken.None);

        if (restores)
        {
            Assert.Equal(free, (await restore).Bytes);
        }
        else
        {
            var error = await Assert.ThrowsAsync<BackupException>(() => restore);
            Assert.Equal($"Not restoring: the archive holds {free + 1} bytes of file content but the file system of '{target}' has {free} bytes free.", error.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(target));
        }
    }

    [Fact]
    public async Task Special_entries_count_as_entries_and_are_skipped()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.File("a"), new PaxTarEntry(TarEntryType.Fifo, "pipe"), new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = "a" });

        var result = await RestoreAsync(archive, maxEntries: 3);

        Assert.Equal((1, 2), (result.Files, result.SkippedSpecial));
        Assert.Equal(["a"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
    }

    private Task<RestoreResult> RestoreAsync(string archive, int maxEntries = 1_000_000, long maxBytes = 64L << 30) =>
        ArchiveRestorer.RestoreAsync(archive, Target,
            RestorePolicy.CommandLine(new RestoreOptions { MaxEntries = maxEntries, MaxBytes = maxBytes }, keepSpecialBits: false), CancellationToken.None);
}
