using StarGuide.BackupService.Tests.Support;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Verification;

/// <summary>
/// A result is reused only while the archive's size and modification time are those it was verified with, and the
/// archive is read again otherwise.
/// </summary>
public sealed class VerificationLedgerTests : IDisposable
{
    private static readonly DateTime VerifiedAt = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = TempFolder.Create("ledger");
    private readonly VerificationLedger _ledger = new();

    public void Dispose() => _folder.Dispose();

    private string Archives => _folder.Combine("archives");

    [Fact]
    public async Task An_unchanged_archive_is_not_read_again()
    {
        var archive = await VerifiedArchiveAsync();
        // Damage that keeps size and time is what the ledger trades away: the cached verdict stands.
        await DamageKeepingSizeAndTimeAsync(archive);

        var cached = await _ledger.CachedOrVerifyAsync(archive, CancellationToken.None);

        Assert.True(cached.IsValid);
        Assert.Same(cached, _ledger.Known(archive));
    }

    [Theory]
    [InlineData("size")]
    [InlineData("time")]
    [InlineData("forgotten")]
    public async Task An_archive_whose_size_or_time_changed_or_that_was_forgotten_is_read_again(string change)
    {
        var archive = await VerifiedArchiveAsync();
        await DamageKeepingSizeAndTimeAsync(archive);
        switch (change)
        {
            case "size":
                await File.AppendAllTextAsync(archive, "!");
                File.SetLastWriteTimeUtc(archive, VerifiedAt);
                break;
            case "time":
                File.SetLastWriteTimeUtc(archive, VerifiedAt.AddTicks(1));
                break;
            default:
                _ledger.Forget(archive);
                break;
        }

        Assert.Null(_ledger.Known(archive));
        var result = await _ledger.CachedOrVerifyAsync(archive, CancellationToken.None);
        Assert.False(result.IsValid);
        Assert.Same(result, _ledger.Known(archive));
    }

    [Fact]
    public async Task A_deleted_archive_is_unknown_and_verifies_as_missing()
    {
        var archive = await VerifiedArchiveAsync();
        File.Delete(archive);

        Assert.Null(_ledger.Known(archive));
        var result = await _ledger.CachedOrVerifyAsync(archive, CancellationToken.None);
        Assert.Equal($"{Path.GetFileName(archive)} is missing.", result.Problem);
    }

    [Fact]
    public void A_result_for_a_missing_archive_is_not_recorded()
    {
        var archive = _folder.Combine("later.tar.gz");
        _ledger.Record(archive, VerificationResult.Valid("later.tar.gz", 1));
        File.WriteAllText(archive, "");
        File.SetLastWriteTimeUtc(archive, DateTime.UnixEpoch);

        Assert.Null(_ledger.Known(archive));
    }

    private async Task<string> VerifiedArchiveAsync()
    {
        var archive = await CraftedArchive.WriteAsync(Archives, CraftedArchive.File("a.txt", new string('a', 4096)));
        File.SetLastWriteTimeUtc(archive, VerifiedAt);
        Assert.True((await _ledger.VerifyAsync(archive, CancellationToken.None)).IsValid);
        return archive;
    }

    private static async Task DamageKeepingSizeAndTimeAsync(string archive)
    {
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(archive, bytes);
        File.SetLastWriteTimeUtc(archive, VerifiedAt);
    }
}
