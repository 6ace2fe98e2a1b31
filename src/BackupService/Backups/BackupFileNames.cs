using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace StarGuide.BackupService.Backups;

/// <summary>
/// The names in the destination folder: <c>starguide-backup-20261127T081500Z.tar.gz</c> (a second backup in the
/// same second gets <c>-2</c> before <c>.tar.gz</c>), its <c>.sha256</c> and <c>.manifest.json</c>, the
/// <c>.partial-*</c> files of a backup being written, the <c>.backup.lock</c> held while one is, and the
/// <c>.restore.lock</c> held while an HTTP restore runs.
/// </summary>
internal static partial class BackupFileNames
{
    public const string ArchiveExtension = ".tar.gz";
    public const string ChecksumSuffix = ".sha256";
    public const string ManifestSuffix = ".manifest.json";
    public const string PartialPrefix = ".partial-";
    public const string LockFileName = ".backup.lock";
    public const string RestoreLockFileName = ".restore.lock";
    private const string TimestampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string ArchiveName(DateTimeOffset createdAt, int sequence) =>
        "starguide-backup-" + createdAt.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture)
        + (sequence > 1 ? "-" + sequence.ToString(CultureInfo.InvariantCulture) : "") + ArchiveExtension;

    public static string ChecksumPath(string archivePath) => archivePath + ChecksumSuffix;

    public static string ManifestPath(string archivePath) => archivePath + ManifestSuffix;

    /// <summary>Whether <paramref name="fileName"/> is an archive this service wrote, and when and in which order.</summary>
    public static bool TryParse(string fileName, out DateTimeOffset createdAt, out int sequence)
    {
        createdAt = default;
        sequence = 0;
        var match = ArchivePattern().Match(fileName);
        if (!match.Success
            || !DateTime.TryParseExact(match.Groups["time"].Value, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }
        createdAt = new DateTimeOffset(time, TimeSpan.Zero);
        sequence = match.Groups["seq"].Success ? int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture) : 1;
        return true;
    }

    /// <summary>A name from a request (HTTP) that is an archive name, so that it cannot point anywhere else.</summary>
    public static bool IsArchiveName([NotNullWhen(true)] string? name) => name is not null && TryParse(name, out _, out _);

    [GeneratedRegex(@"^starguide-backup-(?<time>\d{8}T\d{6}Z)(-(?<seq>[1-9]\d{0,5}))?\.tar\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchivePattern();
}
