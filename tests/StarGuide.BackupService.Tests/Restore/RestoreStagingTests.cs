using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// The target of a restore as the HTTP endpoint confines it (inside <c>Backup:Restore:Root</c>, never through a link)
/// and as the command line takes it, without a host: what is refused, what is made, and what a failure leaves.
/// </summary>
public sealed class RestoreStagingTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("staging");

    public RestoreStagingTests() => Directory.CreateDirectory(Root);

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    private string Root => _folder.Combine("restores");

    private string Victim => _folder.Combine("victim");

    [Theory]
    [InlineData("{root}")]
    [InlineData("{root}-other/app")]
    [InlineData("{root}other")]
    [InlineData("{victim}")]
    public async Task A_confined_target_not_strictly_inside_the_root_is_refused_and_nothing_is_made(string requested)
    {
        var target = requested.Replace("{root}", Root).Replace("{victim}", Victim);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => ConfinedRestoreAsync(archive, target));

        Assert.Equal($"The restore target '{target}' is not inside Backup:Restore:Root '{Root}'.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.False(Directory.Exists(target) && target != Root);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("link/app")]
    [InlineData("made/link/app")]
    public async Task A_confined_target_reached_through_a_link_is_refused(string requested)
    {
        Directory.CreateDirectory(Victim);
        var folderOfLink = requested.StartsWith("made/", StringComparison.Ordinal) ? Path.Combine(Root, "made") : Root;
        Directory.CreateDirectory(folderOfLink);
        File.CreateSymbolicLink(Path.Combine(folderOfLink, "link"), Victim);
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => ConfinedRestoreAsync(archive, Path.Combine(Root, requested)));

        Assert.Equal($"'{Path.Combine(folderOfLink, "link")}' is a symbolic link: a restore under Backup:Restore:Root never writes through a link.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Victim));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("file/app")]
    public async Task A_confined_target_at_or_below_a_file_is_refused(string requested)
    {
        await File.WriteAllTextAsync(Path.Combine(Root, "file"), "x");
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => ConfinedRestoreAsync(archive, Path.Combine(Root, requested)));

        Assert.Equal($"'{Path.Combine(Root, "file")}' is a file, not a folder: the restore target must be a folder.", error.Message);
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Combine(Root, "file")));
    }

    [Fact]
    public async Task A_confined_restore_makes_the_missing_folders_below_existing_ones()
    {
        Directory.CreateDirectory(Path.Combine(Root, "2026"));
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt", "restored"));
        var target = Path.Combine(Root, "2026", "11", "app");

        var result = await ConfinedRestoreAsync(archive, target);

        Assert.Equal(target, result.Target);
        Assert.Equal("restored", await File.ReadAllTextAsync(Path.Combine(target, "ok.txt")));
        Assert.Equal(["ok.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_confined_restore_never_keeps_setuid_setgid_or_sticky_bits()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("shared/", (UnixFileMode)Convert.ToInt32("1777", 8)),
            CraftedArchive.File("shared/tool", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("6755", 8)));
        var target = Path.Combine(Root, "app");

        await ConfinedRestoreAsync(archive, target);

        Assert.Equal("755", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(target, "shared", "tool")), 8));
        Assert.Equal("777", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(target, "shared")), 8));
    }

    [Fact]
    public async Task A_failed_confined_restore_removes_the_folders_it_made_and_only_those()
    {
        Directory.CreateDirectory(Path.Combine(Root, "2026"));
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("kept/"), CraftedArchive.File("kept/a.txt"), CraftedArchive.File("../late.txt"));

        await Assert.ThrowsAsync<BackupException>(() => ConfinedRestoreAsync(archive, Path.Combine(Root, "2026", "11", "app")));

        Assert.Equal(["2026"], Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "2026")));
    }

    [Fact]
    public async Task Top_level_links_are_restored_as_links_whatever_they_point_at()
    {
        Directory.CreateDirectory(Victim);
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("d/"), CraftedArchive.File("d/a", "alpha"), CraftedArchive.Link("to-folder", "d"),
            CraftedArchive.Link("to-file", "d/a"), CraftedArchive.Link("to-outside", Victim), CraftedArchive.Link("dangling", "nowhere"));
        var target = Path.Combine(Root, "links");

        var result = await ConfinedRestoreAsync(archive, target);

        Assert.Equal(4, result.Symlinks);
        Assert.Equal(
            [("dangling", "nowhere"), ("to-file", "d/a"), ("to-folder", "d"), ("to-outside", Victim)],
            new[] { "dangling", "to-file", "to-folder", "to-outside" }.Select(n => (n, new FileInfo(Path.Combine(target, n)).LinkTarget)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Victim));
    }

    [Fact]
    public async Task A_command_line_target_that_is_a_chain_of_links_restores_where_the_last_points()
    {
        var final = _folder.Combine("final");
        Directory.CreateDirectory(final);
        File.CreateSymbolicLink(_folder.Combine("second"), final);
        var target = _folder.Combine("first");
        File.CreateSymbolicLink(target, _folder.Combine("second"));
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var result = await OperatorRestoreAsync(archive, target);

        Assert.Equal(final, result.Target);
        Assert.Equal(["ok.txt"], Directory.EnumerateFileSystemEntries(final).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(".sha256")]
    [InlineData(".manifest.json")]
    public async Task An_archive_without_its_checksum_or_manifest_is_not_restored_and_no_target_is_made(string suffix)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));
        File.Delete(archive + suffix);
        var target = _folder.Combine("target");

        var error = await Assert.ThrowsAsync<BackupException>(() => OperatorRestoreAsync(archive, target));

        Assert.Equal($"Not restoring: {Path.GetFileName(archive)}{suffix} is missing.", error.Message);
        Assert.False(Path.Exists(target));
    }

    [Fact]
    public async Task A_command_line_target_that_is_a_file_is_refused()
    {
        var file = _folder.Combine("a-file");
        await File.WriteAllTextAsync(file, "x");
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => OperatorRestoreAsync(archive, file));

        Assert.Equal($"The restore target '{file}' is a file, not a folder.", error.Message);
        Assert.Equal("x", await File.ReadAllTextAsync(file));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_target_is_refused(string target)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => OperatorRestoreAsync(archive, target));

        Assert.Equal("The restore target folder is empty: give the folder to restore into.", error.Message);
    }

    private Task<RestoreResult> ConfinedRestoreAsync(string archive, string target) =>
        ArchiveRestorer.RestoreAsync(archive, target, RestorePolicy.Http(new RestoreOptions { Root = Root }, Root), CancellationToken.None);

    private static Task<RestoreResult> OperatorRestoreAsync(string archive, string target) =>
        ArchiveRestorer.RestoreAsync(archive, target, RestorePolicy.CommandLine(new RestoreOptions(), keepSpecialBits: false), CancellationToken.None);
}
