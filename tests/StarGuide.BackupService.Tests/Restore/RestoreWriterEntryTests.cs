using System.Formats.Tar;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// The writer fed tar entries directly, one kind of entry or clash at a time: names that are refused, folders it did
/// not make, files where a folder is needed, the kinds of file entry tar has, and the times and modes it restores.
/// </summary>
public sealed class RestoreWriterEntryTests : IDisposable
{
    private static readonly DateTime ArchivedAt = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = TempFolder.Create("writer-entry");

    public RestoreWriterEntryTests() => Directory.CreateDirectory(Staging);

    public void Dispose() => _folder.Dispose();

    private string Staging => _folder.Combine("staging");

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("./a")]
    [InlineData("a/.")]
    [InlineData("a/./b")]
    [InlineData("..")]
    [InlineData("a/..")]
    [InlineData("/a")]
    [InlineData("//a")]
    [InlineData("a\0b/c.txt")]
    public async Task A_name_that_is_not_a_plain_relative_path_is_refused(string name)
    {
        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(new PaxTarEntry(TarEntryType.RegularFile, name)));

        Assert.Equal($"Archive entry '{name}' would be written outside the target folder; refusing to restore it.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("...")]
    [InlineData("a/b/")]
    public async Task Dots_inside_a_name_are_just_a_name(string name)
    {
        var entry = name.EndsWith('/') ? (TarEntry)CraftedArchive.Folder(name) : CraftedArchive.File(name);

        await WriteAllAsync(entry);

        Assert.True(Path.Exists(Path.Combine(Staging, name)));
    }

    [Fact]
    public async Task A_folder_made_by_someone_else_in_the_staging_folder_is_not_written_into()
    {
        Directory.CreateDirectory(Path.Combine(Staging, "opt"));

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(CraftedArchive.File("opt/planted.txt")));

        Assert.Equal("Archive entry 'opt/planted.txt' needs the folder 'opt', which this restore did not create; refusing to write into it.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Staging, "opt")));
    }

    [Theory]
    [InlineData("a/")]
    [InlineData("a/b")]
    [InlineData("a/b/c")]
    public async Task An_entry_that_needs_a_folder_where_an_earlier_file_is_is_refused(string name)
    {
        var later = name.EndsWith('/') ? (TarEntry)CraftedArchive.Folder(name) : CraftedArchive.File(name);

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(CraftedArchive.File("a", "first"), later));

        Assert.Equal($"Archive entry '{name}' needs the folder 'a', but a file is there; refusing to restore it.", error.Message);
        Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(Staging, "a")));
    }

    [Fact]
    public async Task A_link_in_a_folder_the_archive_does_not_list_gets_its_folder_made()
    {
        var writer = await WriteAllAsync(CraftedArchive.Link("implicit/deeper/l", "../x"));

        Assert.Equal("../x", new FileInfo(Path.Combine(Staging, "implicit", "deeper", "l")).LinkTarget);
        Assert.Equal((1, 0), (writer.Symlinks, writer.Directories));
    }

    [Fact]
    public async Task A_link_below_an_earlier_link_is_refused()
    {
        var victim = _folder.Combine("victim");
        Directory.CreateDirectory(victim);

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(CraftedArchive.Link("escape", victim), CraftedArchive.Link("escape/l", "/etc")));

        Assert.Equal("Archive entry 'escape/l' lies below the symbolic link 'escape'; refusing to write through it.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
    }

    [Fact]
    public async Task A_folder_entry_repeated_or_after_its_content_is_taken_once_made()
    {
        var writer = await WriteAllAsync(CraftedArchive.File("d/a.txt"), CraftedArchive.Folder("d/"), CraftedArchive.Folder("d/"), CraftedArchive.File("d/b.txt"));

        Assert.Equal((2, 2), (writer.Files, writer.Directories));
        Assert.Equal(["a.txt", "b.txt"], Directory.EnumerateFiles(Path.Combine(Staging, "d")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_kind_of_file_entry_tar_has_is_written_as_a_file_and_the_rest_are_skipped()
    {
        var writer = await WriteAllAsync(
            new V7TarEntry(TarEntryType.V7RegularFile, "v7") { DataStream = Content("seven") },
            CraftedArchive.File("regular", "regular"),
            new PaxTarEntry(TarEntryType.Fifo, "fifo"),
            new PaxTarEntry(TarEntryType.CharacterDevice, "device"),
            new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = "regular" });

        Assert.Equal((2, 3, 12L), (writer.Files, writer.SkippedSpecial, writer.Bytes));
        Assert.Equal("seven", await File.ReadAllTextAsync(Path.Combine(Staging, "v7")));
        Assert.Equal(["regular", "v7"], Directory.EnumerateFileSystemEntries(Staging).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_contiguous_file_entry_is_written_as_a_file()
    {
        var writer = new RestoreWriter(Staging, Policy());
        using var tar = new MemoryStream(WithTypeFlag(CraftedArchive.File("contiguous", "data"), (byte)'7'));
        await using var reader = new TarReader(tar);
        var entry = (await reader.GetNextEntryAsync())!;
        Assert.Equal(TarEntryType.ContiguousFile, entry.EntryType);

        await writer.WriteAsync(entry, CancellationToken.None);

        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(Staging, "contiguous")));
    }

    [Fact]
    public async Task Files_and_folders_get_the_archives_times_and_modes_after_their_content()
    {
        await WriteAllAsync(
            CraftedArchive.Folder("d/", (UnixFileMode)Convert.ToInt32("750", 8)),
            CraftedArchive.Folder("d/e/", (UnixFileMode)Convert.ToInt32("700", 8)),
            CraftedArchive.File("d/e/f.txt", new string('f', 100_000), (UnixFileMode)Convert.ToInt32("640", 8)));

        foreach (var (path, mode) in new[] { ("d", "750"), ("d/e", "700"), ("d/e/f.txt", "640") })
        {
            var full = Path.Combine(Staging, path);
            Assert.Equal((path, mode, ArchivedAt), (path, Convert.ToString((int)File.GetUnixFileMode(full), 8), File.GetLastWriteTimeUtc(full)));
        }
    }

    [Fact]
    public async Task A_restored_folder_replaced_by_a_link_before_the_end_is_not_changed_through_it()
    {
        var victim = _folder.Combine("victim");
        Directory.CreateDirectory(victim);
        var victimTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(victim, victimTime);
        var writer = new RestoreWriter(Staging, Policy());
        await WriteEntriesAsync(writer, CraftedArchive.Folder("d/", (UnixFileMode)Convert.ToInt32("777", 8)));
        Directory.Delete(Path.Combine(Staging, "d"));
        File.CreateSymbolicLink(Path.Combine(Staging, "d"), victim);

        var error = Assert.Throws<BackupException>(writer.FinishDirectories);

        Assert.Equal("The restored folder 'd' was replaced while the restore ran; not changing it.", error.Message);
        Assert.Equal(victimTime, Directory.GetLastWriteTimeUtc(victim));
        Assert.NotEqual("777", Convert.ToString((int)File.GetUnixFileMode(victim), 8));
    }

    private static RestorePolicy Policy() => new(1_000_000, 64L << 30, KeepSpecialBits: false, ConfinedTo: null);

    private static MemoryStream Content(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A ustar entry with its type flag changed: TarWriter writes no contiguous files, tar archives may hold them.</summary>
    private static byte[] WithTypeFlag(PaxTarEntry entry, byte flag)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(entry));
        }
        var bytes = tar.ToArray();
        bytes[156] = flag;
        // The header checksum: the sum of the header's bytes with the checksum field read as spaces.
        Array.Fill(bytes, (byte)' ', 148, 8);
        var sum = bytes.Take(512).Sum(b => b);
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
        return bytes;
    }

    private async Task<RestoreWriter> WriteAllAsync(params TarEntry[] entries)
    {
        var writer = new RestoreWriter(Staging, Policy());
        await WriteEntriesAsync(writer, entries);
        writer.FinishDirectories();
        return writer;
    }

    private static async Task WriteEntriesAsync(RestoreWriter writer, params TarEntry[] entries)
    {
        using var tar = new MemoryStream();
        await using (var tarWriter = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await tarWriter.WriteEntryAsync(entry);
            }
        }
        tar.Position = 0;
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            await writer.WriteAsync(entry, CancellationToken.None);
        }
    }
}
