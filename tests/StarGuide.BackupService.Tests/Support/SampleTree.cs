using System.Net.Sockets;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>A small source tree with what a backup must keep: content, modes, old times, nested folders and links.</summary>
internal static class SampleTree
{
    public static readonly DateTime OldTime = new(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    public static string Create(string root)
    {
        Directory.CreateDirectory(root);
        Write(root, "app.py", "print('hello')\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        Write(root, "config/settings.json", "{ \"debug\": false }\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, "static/js/app.js", string.Concat(Enumerable.Repeat("console.log(1);\n", 5000)), (UnixFileMode)0b110_100_100);
        var binary = new byte[300_000];
        new Random(42).NextBytes(binary);
        File.WriteAllBytes(Path.Combine(root, "static", "logo.bin"), binary);
        Write(root, "empty.txt", "", (UnixFileMode)0b110_100_100);
        Directory.CreateDirectory(Path.Combine(root, "empty-folder"));

        // Links are archived as links: none of these may make the backup loop or fail.
        File.CreateSymbolicLink(Path.Combine(root, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(root, "loop-b"), "loop-a");
        File.CreateSymbolicLink(Path.Combine(root, "config", "parent"), "..");
        File.CreateSymbolicLink(Path.Combine(root, "settings-link.json"), "config/settings.json");

        File.SetLastWriteTimeUtc(Path.Combine(root, "app.py"), OldTime);
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "empty-folder"), OldTime.AddDays(1));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "static", "js"), OldTime.AddDays(2));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "config"), OldTime.AddDays(3));
        return root;
    }

    public static void Write(string root, string relative, string content, UnixFileMode mode)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// A Unix socket file: tar cannot store one and root can do nothing about it, so a source holding one fails for
    /// real whoever runs the test (unlike chmod 000, which root reads anyway). Dispose the socket to remove it.
    /// </summary>
    public static Socket CreateSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
