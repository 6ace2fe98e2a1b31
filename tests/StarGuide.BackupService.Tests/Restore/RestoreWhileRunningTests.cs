using System.Formats.Tar;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// A restore held during its extraction (the archive is a fifo the test feeds): the staging folder it writes into, a
/// file being written, and what it does with what others put in the target meanwhile.
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
    public async Task A_file_is_readable_by_its_owner_only_until_its_content_is_whole()
    {
        var content = new byte[1 << 20];
        new Random(7).NextBytes(content);
        var archive = await CraftedArchive.WriteAsync(Archives,
            new PaxTarEntry(TarEntryType.RegularFile, "tool") { DataStream = new MemoryStream(content), Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
        var modeWhileWritten = "";

        // Random bytes do not compress: half the archive holds the file's header and part of its content.
        await RestoreWhileAsync(archive, async () =>
        {
            var file = await FileInStagingAsync("tool");
            modeWhileWritten = Convert.ToString((int)File.GetUnixFileMode(file), 8);
        }, holdAtHalf: true);

        Assert.Equal("600", modeWhileWritten);
        Assert.Equal("755", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(Target, "tool")), 8));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(Target, "tool")));
    }

    [Fact]
    public async Task Files_someone_adds_to_target_folders_the_failed_restore_made_are_not_deleted_with_them()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("ok.txt"), CraftedArchive.File("../late.txt"));
        var parent = _folder.Combine("new");
        var target = Path.Combine(parent, "target");
        var operatorsFiles = new[] { Path.Combine(parent, "operator.txt"), Path.Combine(target, "operator.txt") };

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            RestoreWhileAsync(archive, async () =>
            {
                foreach (var file in operatorsFiles)
                {
                    await File.WriteAllTextAsync(file, "mine");
                }
            }, target: target));

        Assert.StartsWith("Archive entry '../late.txt' would be written outside the target folder; refusing to restore it. "
            + $"The partial restore could not be removed in full: '{target}' stays (", error.Message);
        Assert.Contains($"); '{parent}' stays (", error.Message);
        Assert.Equal(["operator.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(["operator.txt", "target"], Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(operatorsFiles, f => Assert.Equal("mine", File.ReadAllText(f)));
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

    private async Task<string> FileInStagingAsync(string name)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var staging = Directory.EnumerateDirectories(Target, RestoreStaging.Prefix + "*").Single();
            if (File.Exists(Path.Combine(staging, name)))
            {
                return Path.Combine(staging, name);
            }
            await Task.Delay(5, patience.Token);
        }
    }

    private async Task<RestoreResult> RestoreWhileAsync(string archive, Func<Task> whileHeld, bool holdAtHalf = false, string? target = null)
    {
        await using var fifo = await FifoArchive.ReplaceAsync(archive);
        // Opening a fifo blocks until the other end opens: the restore runs on its own thread.
        var restore = Task.Run(() => ArchiveRestorer.RestoreAsync(archive, target ?? Target,
            RestorePolicy.CommandLine(new RestoreOptions(), keepSpecialBits: false), CancellationToken.None));
        foreach (var whileOpen in new[] { null, null, whileHeld })
        {
            var serve = whileOpen is null ? fifo.ServeAsync() : fifo.ServeAsync(whileOpen, holdAtHalf ? fifo.Length / 2 : 0);
            // A restore that ends early (it failed) opens the archive no more.
            if (await Task.WhenAny(serve, restore) == restore)
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
