using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// The writer fed tar streams directly, without verification: what holds even if an archive changed after it was
/// verified, or an archive's entries repeat a name the manifest check would have caught.
/// </summary>
public sealed class RestoreWriterTests : IDisposable
{
    private static readonly UnixFileMode VictimMode = (UnixFileMode)Convert.ToInt32("755", 8);
    private readonly TempFolder _folder = TempFolder.Create("writer");

    public RestoreWriterTests() => Directory.CreateDirectory(Staging);

    public void Dispose() => _folder.Dispose();

    private string Staging => _folder.Combine("staging");

    [Fact]
    public async Task A_folder_entry_onto_an_earlier_link_is_refused_and_the_linked_folder_keeps_its_mode_and_time()
    {
        var victim = _folder.Combine("victim");
        Directory.CreateDirectory(victim);
        File.SetUnixFileMode(victim, VictimMode);
        Directory.SetLastWriteTimeUtc(victim, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(
            CraftedArchive.Link("d", victim), CraftedArchive.Folder("d/", (UnixFileMode)Convert.ToInt32("777", 8))));

        Assert.Contains("would make a folder where the symbolic link 'd' is", error.Message);
        Assert.Equal(VictimMode, File.GetUnixFileMode(victim));
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(victim));
    }

    [Fact]
    public async Task A_file_entry_onto_an_earlier_dangling_link_is_refused_and_nothing_is_created_where_it_points()
    {
        var victim = _folder.Combine("victim.txt");

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(
            CraftedArchive.Link("f", victim), CraftedArchive.File("f", "planted")));

        Assert.Contains("'f' already exists", error.Message);
        Assert.False(File.Exists(victim));
    }

    [Fact]
    public async Task A_link_planted_in_the_staging_folder_by_someone_else_is_not_written_through()
    {
        var victim = _folder.Combine("victim");
        Directory.CreateDirectory(victim);
        File.CreateSymbolicLink(Path.Combine(Staging, "opt"), victim);

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(CraftedArchive.File("opt/planted.txt")));

        Assert.Contains("lies below the symbolic link 'opt'", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
    }

    [Fact]
    public async Task Entries_beyond_MaxEntries_stop_the_writer_at_the_first_one_over()
    {
        var entries = Enumerable.Range(0, 50).Select(i => (TarEntry)CraftedArchive.File($"f{i}")).ToArray();

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(Policy(maxEntries: 10), entries));

        Assert.StartsWith("Restore stopped at archive entry 'f10': it is beyond the 10 entries Backup:Restore:MaxEntries allows", error.Message);
        Assert.Equal(10, Directory.EnumerateFiles(Staging).Count());
    }

    [Fact]
    public async Task An_entry_claiming_10_GiB_over_MaxBytes_is_refused_from_its_header_before_any_data_is_read()
    {
        // Only the header, through gzip as a restore reads it: there is no data behind it, so a writer that read on
        // would fail differently.
        using var tar = new GZipStream(new MemoryStream(CraftedArchive.Compress(CraftedArchive.HeaderOf("huge.bin", 10L << 30))), CompressionMode.Decompress);

        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(tar, Policy(maxBytes: 1L << 30)));

        Assert.StartsWith($"Restore stopped at archive entry 'huge.bin' ({10L << 30} bytes): the restore would write more than the 1073741824 bytes Backup:Restore:MaxBytes allows", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
    }

    [Fact]
    public async Task MaxBytes_counts_across_files()
    {
        var error = await Assert.ThrowsAsync<BackupException>(() => WriteAllAsync(Policy(maxBytes: 1000),
            CraftedArchive.File("a", new string('a', 600)), CraftedArchive.File("b", new string('b', 600))));

        Assert.StartsWith("Restore stopped at archive entry 'b' (600 bytes)", error.Message);
        Assert.Equal(["a"], Directory.EnumerateFiles(Staging).Select(Path.GetFileName));
    }

    private static RestorePolicy Policy(int maxEntries = 1_000_000, long maxBytes = 64L << 30) =>
        new(maxEntries, maxBytes, KeepSpecialBits: false, ConfinedTo: null);

    private Task WriteAllAsync(params TarEntry[] entries) => WriteAllAsync(Policy(), entries);

    private async Task WriteAllAsync(RestorePolicy policy, params TarEntry[] entries)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }
        tar.Position = 0;
        await WriteAllAsync(tar, policy);
    }

    private async Task WriteAllAsync(Stream tarStream, RestorePolicy policy)
    {
        var writer = new RestoreWriter(Staging, policy);
        await using var reader = new TarReader(tarStream, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false) is { } entry)
        {
            await writer.WriteAsync(entry, CancellationToken.None);
        }
        writer.FinishDirectories();
    }
}
