using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Verification;

public sealed class CorruptArchiveTests : IDisposable
{
    private readonly BackupHarness _harness = new("corrupt");

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_whole_archive_verifies()
    {
        var archive = await BackupAsync();

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.True(result.IsValid, result.Problem);
    }

    [Fact]
    public async Task A_flipped_byte_is_caught_by_the_checksum()
    {
        var archive = await BackupAsync();
        FlipByte(archive, new FileInfo(archive).Length / 2);

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Contains("SHA-256", result.Problem);
        Assert.Contains("changed or damaged", result.Problem);
    }

    [Fact]
    public async Task A_flipped_byte_with_a_matching_checksum_is_caught_by_gzip()
    {
        var archive = await BackupAsync();
        FlipByte(archive, new FileInfo(archive).Length / 2);
        await RewriteChecksumAsync(archive);

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Contains("corrupt", result.Problem);
    }

    [Fact]
    public async Task A_truncated_archive_with_a_matching_checksum_is_caught()
    {
        var archive = await BackupAsync();
        using (var file = new FileStream(archive, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }
        await RewriteChecksumAsync(archive);

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.StartsWith(Path.GetFileName(archive), result.Problem);
    }

    [Fact]
    public async Task A_manifest_that_disagrees_with_the_archive_is_caught()
    {
        var archive = await BackupAsync();
        var manifest = BackupFileNames.ManifestPath(archive);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"size\": 300000", "\"size\": 299999"));

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Contains("logo.bin' holds 300000 bytes but the manifest says 299999", result.Problem);
    }

    [Fact]
    public async Task A_missing_checksum_file_is_named()
    {
        var archive = await BackupAsync();
        File.Delete(BackupFileNames.ChecksumPath(archive));

        var result = await ArchiveVerifier.VerifyAsync(archive, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal($"{Path.GetFileName(archive)}.sha256 is missing.", result.Problem);
    }

    private async Task<string> BackupAsync()
    {
        SampleTree.Create(_harness.Sources);
        var run = await _harness.BackupAsync();
        Assert.True(run.State == BackupRunState.Completed, run.Reason);
        return run.Archive!;
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0xFF));
    }

    private static async Task RewriteChecksumAsync(string archive) =>
        await File.WriteAllTextAsync(BackupFileNames.ChecksumPath(archive),
            ChecksumFile.Format(await ChecksumFile.ComputeAsync(archive, CancellationToken.None), Path.GetFileName(archive)));
}
