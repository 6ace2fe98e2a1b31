using System.Formats.Tar;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// A restore held at the start of its extraction (the archive is a fifo the test feeds): the staging folder it writes
/// into, and what it does with what others put in the target meanwhile.
/// </summary>
public sealed class RestoreWhileRunningTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("running");

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    private string Target => _folder.Combine("target");

    [Fact]
    public async Task Entries_are_written_into_an_empty_staging_folder_only_the_services_user_can_enter()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"));
        string? staging = null;

        await RestoreWhileAsync(archive, () =>
        {
            staging = Assert.Single(Directory.EnumerateFileSystemEntries(Target));
            Assert.StartsWith(RestoreStaging.Prefix, Path.GetFileName(staging), StringComparison.Ordinal);
            Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(staging), 8));
            Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
            return Task.CompletedTask;
        });

        Assert.False(Path.Exists(staging));
        Assert.Equal(["ok.txt"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_someone_adds_to_a_target_folder_the_failed_restore_made_is_not_deleted_with_it()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"), CraftedArchive.File("../late.txt"));
        var operatorsFile = Path.Combine(Target, "operator.txt");

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            RestoreWhileAsync(archive, () => File.WriteAllTextAsync(operatorsFile, "mine")));

        Assert.StartsWith("Archive entry '../late.txt' would be written outside the target folder; refusing to restore it. "
            + $"The partial restore could not be removed in full: '{Target}' stays (", error.Message);
        Assert.Equal(["operator.txt"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
        Assert.Equal("mine", await File.ReadAllTextAsync(operatorsFile));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("folder")]
    public async Task A_name_taken_in_the_target_meanwhile_stops_the_move_and_what_was_moved_goes_back_out(string takenKind)
    {
        // The restore moves the entries up in the order the file system lists them: the name it moves last is taken,
        // so that the other is already in the target when the move stops. Files and folders move by different calls.
        var order = NamesInListingOrder("a", "b");
        var (first, last) = (order[0], order[1]);
        var isFile = new Dictionary<string, bool> { [last] = takenKind == "file", [first] = takenKind != "file" };
        var archive = await CraftedArchive.WriteAsync(Archives, [.. EntriesOf("a", isFile["a"]), .. EntriesOf("b", isFile["b"])]);
        var taken = Path.Combine(Target, last);
        // An empty target that was there before: the restore does not remove it, so its own error is what it throws.
        Directory.CreateDirectory(Target);

        var error = await Assert.ThrowsAsync<IOException>(() => RestoreWhileAsync(archive, () =>
        {
            File.CreateSymbolicLink(taken, "someone-elses");
            return Task.CompletedTask;
        }));

        Assert.Contains($"'{taken}'", error.Message);
        Assert.Equal([last], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
        Assert.Equal("someone-elses", new FileInfo(taken).LinkTarget);
    }

    private static TarEntry[] EntriesOf(string name, bool file) =>
        file ? [CraftedArchive.File(name)] : [CraftedArchive.Folder(name + "/"), CraftedArchive.File(name + "/inner.txt")];

    private async Task<RestoreResult> RestoreWhileAsync(string archive, Func<Task> whileHeld)
    {
        await using var fifo = await FifoArchive.ReplaceAsync(archive);
        // Opening a fifo blocks until the other end opens: the restore runs on its own thread.
        var restore = Task.Run(() => ArchiveRestorer.RestoreAsync(archive, Target,
            RestorePolicy.CommandLine(new RestoreOptions(), keepSpecialBits: false), CancellationToken.None));
        foreach (var whileOpen in new[] { null, null, whileHeld })
        {
            // A restore that ends early (it failed) opens the archive no more.
            if (await Task.WhenAny(fifo.ServeAsync(whileOpen), restore) == restore)
            {
                break;
            }
        }
        return await restore;
    }

    private string[] NamesInListingOrder(params string[] names)
    {
        var probe = _folder.Combine("probe");
        Directory.CreateDirectory(probe);
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(probe, name), "");
        }
        var listed = Directory.EnumerateFileSystemEntries(probe).Select(Path.GetFileName).ToArray();
        Directory.Delete(probe, recursive: true);
        return listed!;
    }
}
