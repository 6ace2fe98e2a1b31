using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Verification;

/// <summary>
/// Archives whose checksum matches but whose manifest disagrees with the tar entries, one way each: every
/// disagreement is reported by name, and verification never throws for it.
/// </summary>
public sealed class ManifestMismatchTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("manifest");

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    [Fact]
    public async Task A_whole_archive_reports_its_name_and_the_manifests_entry_count()
    {
        var archive = await CraftedArchive.WriteAsync(Archives,
            CraftedArchive.Folder("d/"), CraftedArchive.File("d/a.txt", "alpha"), CraftedArchive.File("empty.txt", ""), CraftedArchive.Link("l", "d/a.txt"));

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.Equal(new VerificationResult(Path.GetFileName(archive), true, null, 4), result);
    }

    [Fact]
    public async Task An_entry_the_manifest_does_not_list_is_named()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"), CraftedArchive.File("b.txt"));
        await CraftedArchive.RewriteManifestAsync(archive, entries => [.. entries.Where(e => e.Path != "b.txt")]);

        await AssertInvalidAsync(archive, "entry 'b.txt' is not in the manifest.");
    }

    [Fact]
    public async Task An_entry_that_appears_twice_in_the_archive_is_named()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"), CraftedArchive.File("a.txt"));
        await CraftedArchive.RewriteManifestAsync(archive, entries => [entries[0]]);

        await AssertInvalidAsync(archive, "entry 'a.txt' appears twice.");
    }

    [Theory]
    [InlineData("file", "directory")]
    [InlineData("directory", "file")]
    [InlineData("symlink", "file")]
    public async Task An_entry_of_another_kind_than_the_manifest_says_is_named(string kind, string recorded)
    {
        var entry = kind switch
        {
            "file" => CraftedArchive.File("x", ""),
            "directory" => CraftedArchive.Folder("x/"),
            _ => CraftedArchive.Link("x", "elsewhere"),
        };
        var archive = await CraftedArchive.WriteAsync(Archives, entry);
        await CraftedArchive.RewriteManifestAsync(archive, entries => [entries[0] with { Type = recorded }]);

        await AssertInvalidAsync(archive, $"entry 'x' is a {kind} but the manifest says {recorded}.");
    }

    [Fact]
    public async Task Entries_the_manifest_lists_but_the_archive_lacks_are_counted_and_the_first_named()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"));
        await CraftedArchive.RewriteManifestAsync(archive, entries =>
            [.. entries, entries[0] with { Path = "gone-1.txt" }, entries[0] with { Path = "gone-2.txt" }]);

        await AssertInvalidAsync(archive, "2 entries of the manifest are not in the archive, the first 'gone-1.txt' (truncated?).");
    }

    [Fact]
    public async Task A_manifest_that_lists_a_path_twice_is_named()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"), CraftedArchive.File("a.txt"));

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{Path.GetFileName(archive)}.manifest.json lists 'a.txt' twice.", result.Problem);
    }

    [Theory]
    [InlineData("{}", "lists no entries.")]
    [InlineData("{ \"entries\": null }", "lists no entries.")]
    [InlineData("{ \"entries\": [null] }", "has an entry without a path.")]
    [InlineData("{ \"entries\": [{ \"type\": \"file\" }] }", "has an entry without a path.")]
    public async Task A_manifest_without_entries_or_with_one_without_a_path_is_named(string json, string problem)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"));
        await File.WriteAllTextAsync(BackupFileNames.ManifestPath(archive), json);

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{Path.GetFileName(archive)}.manifest.json {problem}", result.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".sha256")]
    [InlineData(".manifest.json")]
    public async Task Each_missing_file_of_an_archive_is_named(string suffix)
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt"));
        File.Delete(archive + suffix);

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{Path.GetFileName(archive)}{suffix} is missing.", result.Problem);
    }

    [Fact]
    public async Task A_damaged_gzip_trailer_with_a_matching_checksum_is_caught()
    {
        // The end-of-archive blocks come before gzip's CRC-32: a verifier that stopped at them would miss this.
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt", "alpha"));
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[^8] ^= 0xFF;
        await File.WriteAllBytesAsync(archive, bytes);
        await File.WriteAllTextAsync(BackupFileNames.ChecksumPath(archive),
            ChecksumFile.Format(await ChecksumFile.ComputeAsync(archive, CancellationToken.None), Path.GetFileName(archive)));

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.StartsWith($"{Path.GetFileName(archive)}: gzip/tar data is corrupt near compressed offset ", result.Problem);
    }

    private static async Task AssertInvalidAsync(string archive, string problem)
    {
        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{Path.GetFileName(archive)}: {problem}", result.Problem);
        Assert.Equal(0, result.Entries);
    }
}
