using System.Diagnostics;
using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Verification;

/// <summary>The <c>.sha256</c> beside an archive: what is read from it, what is refused, and that sha256sum agrees.</summary>
public sealed class ChecksumFileTests : IDisposable
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private readonly TempFolder _folder = TempFolder.Create("checksum");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(Hash + "  archive.tar.gz\n")]
    [InlineData(Hash + "\tarchive.tar.gz\n")]
    [InlineData(Hash + "\n")]
    [InlineData(Hash + "\r\n")]
    [InlineData(Hash)]
    public async Task The_hash_is_read_in_sha256sums_format_and_as_a_bare_line(string text)
    {
        var path = await WriteAsync(text);

        Assert.Equal(Hash, await ChecksumFile.ReadAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task An_upper_case_hash_is_read_in_lower_case()
    {
        var path = await WriteAsync(Hash.ToUpperInvariant() + "  archive.tar.gz\n");

        Assert.Equal(Hash, await ChecksumFile.ReadAsync(path, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData(" " + Hash + "  archive.tar.gz\n")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0  archive.tar.gz\n")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a080  archive.tar.gz\n")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g  archive.tar.gz\n")]
    public async Task Anything_but_64_hex_digits_first_is_refused_naming_the_file(string text)
    {
        var path = await WriteAsync(text);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ChecksumFile.ReadAsync(path, CancellationToken.None));

        Assert.Equal($"{path} does not start with a SHA-256 in hex.", error.Message);
    }

    [Fact]
    public async Task Sha256sum_checks_the_file_written_beside_an_archive()
    {
        var archive = _folder.Combine("archive.tar.gz");
        await File.WriteAllTextAsync(archive, "test");
        var checksum = ChecksumFile.Format(await ChecksumFile.ComputeAsync(archive, CancellationToken.None), "archive.tar.gz");
        await File.WriteAllTextAsync(_folder.Combine("archive.tar.gz.sha256"), checksum);

        var check = Process.Start(new ProcessStartInfo("sha256sum", ["--check", "--strict", "archive.tar.gz.sha256"])
        {
            WorkingDirectory = _folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();

        Assert.Equal($"{Hash}  archive.tar.gz\n", checksum);
        Assert.True(check.ExitCode == 0, output);
        Assert.Equal("archive.tar.gz: OK\n", output);
    }

    private async Task<string> WriteAsync(string text)
    {
        var path = _folder.Combine("archive.tar.gz.sha256");
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
