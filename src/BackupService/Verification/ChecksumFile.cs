using System.Security.Cryptography;

namespace StarGuide.BackupService.Verification;

/// <summary>The <c>.sha256</c> beside an archive, in <c>sha256sum</c>'s format so that <c>sha256sum -c</c> checks it too.</summary>
internal static class ChecksumFile
{
    public static string Format(string sha256Hex, string archiveFileName) => $"{sha256Hex}  {archiveFileName}\n";

    /// <summary>The recorded hash; an <see cref="InvalidDataException"/> naming the file when it holds none.</summary>
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var hash = text.Split([' ', '\t', '\n'], 2)[0].Trim();
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"{path} does not start with a SHA-256 in hex.");
        }
        return hash.ToLowerInvariant();
    }

    public static async Task<string> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
