using System.Security.Cryptography;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>Everything a restore must reproduce, per relative path, so that two trees compare with one Assert.Equal.</summary>
internal static class TreeSnapshot
{
    public static SortedDictionary<string, string> Of(string root)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(root, new DirectoryInfo(root), snapshot);
        return snapshot;
    }

    // By hand: .NET's recursive enumeration descends into links to folders.
    private static void Add(string root, DirectoryInfo folder, SortedDictionary<string, string> snapshot)
    {
        foreach (var info in folder.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            snapshot[Path.GetRelativePath(root, info.FullName)] = Describe(info);
            if (info is DirectoryInfo child && info.LinkTarget is null)
            {
                Add(root, child, snapshot);
            }
        }
    }

    private static string Describe(FileSystemInfo info)
    {
        if (info.LinkTarget is { } target)
        {
            return $"link -> {target}";
        }
        // Whole seconds: .NET's TarWriter stores mtime to the second (as GNU tar's default format does).
        var mtime = info.LastWriteTimeUtc.ToString("yyyy-MM-dd HH:mm:ss");
        var mode = Convert.ToString((int)info.UnixFileMode, 8);
        return info is DirectoryInfo
            ? $"dir {mode} {mtime}"
            : $"file {mode} {mtime} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(info.FullName)))}";
    }
}
