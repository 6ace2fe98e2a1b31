using System.Formats.Tar;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// Crafted archives that verify (their checksum and manifest match), restored as the command line restores them:
/// each is refused, and nothing lands outside the target or stays behind in it.
/// </summary>
public sealed class RestoreTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("restore");

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    private string Target => _folder.Combine("target");

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("a/../../escaped.txt")]
    [InlineData("a/../inside-but-climbing.txt")]
    [InlineData("a//b.txt")]
    public async Task An_entry_named_with_dotdot_or_empty_segments_is_refused(string entryName)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"), CraftedArchive.File(entryName));

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Contains($"'{entryName}' would be written outside the target folder", error.Message);
        Assert.False(File.Exists(_folder.Combine("escaped.txt")));
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task An_absolute_entry_name_is_refused()
    {
        // The folder exists, so that a restore that took the name as it is would write there.
        Directory.CreateDirectory(_folder.Combine("victim"));
        var victim = _folder.Combine("victim", "absolute.txt");
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File(victim));

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Contains($"'{victim}' would be written outside the target folder", error.Message);
        Assert.False(File.Exists(victim));
        Assert.False(Directory.Exists(Target));
    }

    [Theory]
    [InlineData("escape/planted.txt")]
    [InlineData("escape/deeper/planted.txt")]
    [InlineData("escape/folder/")]
    public async Task A_link_to_outside_then_an_entry_through_it_is_refused(string throughLink)
    {
        var victim = _folder.Combine("victim");
        Directory.CreateDirectory(victim);
        var entry = throughLink.EndsWith('/') ? (TarEntry)CraftedArchive.Folder(throughLink) : CraftedArchive.File(throughLink);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.Link("escape", victim), entry);

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Contains("symbolic link 'escape'", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_relative_link_that_climbs_cannot_be_written_through()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("a/"), CraftedArchive.Link("a/up", "../../.."), CraftedArchive.File("a/up/escaped.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Contains("lies below the symbolic link 'a/up'", error.Message);
        Assert.False(File.Exists(_folder.Combine("escaped.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_folder.Path)!, "escaped.txt")));
    }

    [Theory]
    [InlineData(false, "755", "777")]
    [InlineData(true, "6755", "1777")]
    public async Task Setuid_setgid_and_sticky_bits_are_dropped_unless_kept(bool keep, string fileMode, string folderMode)
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("shared/", (UnixFileMode)Convert.ToInt32("1777", 8)),
            CraftedArchive.File("shared/tool", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("6755", 8)));

        await RestoreAsync(archive, keepSpecialBits: keep);

        Assert.Equal(fileMode, Convert.ToString((int)File.GetUnixFileMode(Path.Combine(Target, "shared", "tool")), 8));
        Assert.Equal(folderMode, Convert.ToString((int)File.GetUnixFileMode(Path.Combine(Target, "shared")), 8));
    }

    [Fact]
    public async Task More_entries_than_MaxEntries_are_refused_before_anything_is_written()
    {
        var entries = Enumerable.Range(0, 100_000).Select(i => new PaxTarEntry(TarEntryType.RegularFile, $"f{i}")).ToArray();
        var archive = await CraftedArchive.WriteAsync(Archives, entries);

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, maxEntries: 1000));

        Assert.Equal("Not restoring: the archive holds 100000 entries, more than Backup:Restore:MaxEntries allows (1000); raise it if the archive is trusted.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_10_GiB_entry_over_MaxBytes_is_refused_before_the_archive_is_read()
    {
        const long tenGiB = 10L << 30;
        var archive = await CraftedArchive.WriteZeroFilledAsync(Archives, "huge.bin", tenGiB);
        Assert.True(new FileInfo(archive).Length < 20 << 20, "the crafted archive must stay small on disk");

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, maxBytes: 1L << 30));

        Assert.Equal($"Not restoring: the archive holds {tenGiB} bytes of file content, more than Backup:Restore:MaxBytes allows (1073741824); raise it if the archive is trusted.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_restore_that_fails_midway_leaves_no_folder_it_made()
    {
        var target = _folder.Combine("new", "parent", "target");
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("kept/"), CraftedArchive.File("kept/a.txt"), CraftedArchive.File("kept/b.txt"), CraftedArchive.File("../late.txt"));

        await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, target: target));

        Assert.False(Directory.Exists(_folder.Combine("new")));
    }

    [Fact]
    public async Task A_restore_that_fails_midway_leaves_an_empty_target_empty()
    {
        Directory.CreateDirectory(Target);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"), CraftedArchive.File("/late.txt"));

        await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Target));
    }

    [Fact]
    public async Task A_whole_restore_holds_exactly_the_archive()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.File("a.txt", "alpha"), CraftedArchive.Folder("d/"), CraftedArchive.File("d/b.txt", "beta"), CraftedArchive.Link("d/l", "../a.txt"));

        var result = await RestoreAsync(archive);

        Assert.Equal(["a.txt", "d", "d/b.txt", "d/l"],
            Directory.EnumerateFileSystemEntries(Target, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(p => Path.GetRelativePath(Target, p)).Order(StringComparer.Ordinal));
        Assert.Equal("beta", await File.ReadAllTextAsync(Path.Combine(Target, "d", "b.txt")));
        Assert.Equal((2, 1, 1, 9L), (result.Files, result.Directories, result.Symlinks, result.Bytes));
    }

    [SkippableFact]
    public async Task An_archive_larger_than_the_free_space_is_refused_before_writing()
    {
        var small = _folder.Combine("small");
        Directory.CreateDirectory(small);
        using var mount = TmpfsMount.TryMount(small, 256, out var reason);
        Need.TmpfsMount.Check(mount is not null, reason);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("big.txt", new string('x', 1 << 20)));
        var target = Path.Combine(small, "target");

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive, target: target));

        Assert.StartsWith($"Not restoring: the archive holds {1 << 20} bytes of file content but the file system of '{target}' has ", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(small));
    }

    [Fact]
    public async Task A_target_that_is_not_empty_is_refused()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));
        Directory.CreateDirectory(Target);
        await File.WriteAllTextAsync(Path.Combine(Target, "existing"), "x");

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.Contains("is not empty", error.Message);
        Assert.Equal(["existing"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_command_line_target_that_is_a_link_restores_where_it_points()
    {
        var elsewhere = _folder.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.CreateSymbolicLink(Target, elsewhere);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var result = await RestoreAsync(archive);

        Assert.Equal(elsewhere, result.Target);
        Assert.True(File.Exists(Path.Combine(elsewhere, "ok.txt")));
    }

    [Fact]
    public async Task A_corrupt_archive_is_not_restored()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));
        await File.AppendAllTextAsync(archive, "junk");

        var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(archive));

        Assert.StartsWith("Not restoring:", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    private Task<RestoreResult> RestoreAsync(
        string archive, string? target = null, bool keepSpecialBits = false, int maxEntries = 1_000_000, long maxBytes = 64L << 30) =>
        ArchiveRestorer.RestoreAsync(archive, target ?? Target,
            RestorePolicy.CommandLine(new RestoreOptions { MaxEntries = maxEntries, MaxBytes = maxBytes }, keepSpecialBits), CancellationToken.None);
}
