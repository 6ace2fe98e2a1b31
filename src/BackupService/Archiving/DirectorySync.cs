using System.Runtime.InteropServices;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// fsync of a folder, so that renames in it survive a power cut (ext4 and xfs may otherwise lose the new name).
/// .NET cannot open a folder as a stream, hence libc. Best effort: elsewhere than Linux it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        _ = FSync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
