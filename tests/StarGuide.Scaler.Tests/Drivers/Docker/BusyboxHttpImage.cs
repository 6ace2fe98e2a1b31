using System.Formats.Tar;
using System.Text;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>
/// The root file system of the test image, as the tar stream <c>docker import</c> takes: a statically linked busybox (Debian's
/// busybox-static) serving <c>/www</c> over HTTP on <c>$PORT</c>, where <c>/health</c> says ok and <c>/instance</c> holds
/// <c>$INSTANCE_ID</c>. It exits 0 on SIGTERM (a shell as PID 1 ignores signals it does not trap).
/// </summary>
internal static class BusyboxHttpImage
{
    public const string Busybox = "/bin/busybox";

    public static readonly string Command = """["/bin/busybox", "sh", "/start.sh"]""";

    private const string StartScript = """
        echo "$INSTANCE_ID" > /www/instance
        /bin/busybox httpd -f -p "${PORT:-8080}" -h /www &
        pid=$!
        trap '/bin/busybox kill $pid; exit 0' TERM
        wait $pid
        """;

    /// <summary>Why the image cannot be built here, or null.</summary>
    public static string? Problem()
    {
        if (!File.Exists(Busybox))
        {
            return $"{Busybox} is missing: apt-get install busybox-static (or run .ci/docker-engine.sh)";
        }

        // A dynamically linked busybox names its loader; in an image without libc it cannot run.
        var bytes = File.ReadAllBytes(Busybox);
        return bytes.AsSpan().IndexOf("/ld-linux"u8) >= 0 ? $"{Busybox} is dynamically linked: apt-get install busybox-static" : null;
    }

    public static MemoryStream RootFileSystem()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            AddDirectory(writer, "bin/");
            AddDirectory(writer, "www/");
            AddDirectory(writer, "tmp/");
            var busybox = new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = File.OpenRead(Busybox),
            };
            writer.WriteEntry(busybox);
            busybox.DataStream.Dispose();
            AddFile(writer, "start.sh", StartScript + "\n");
            AddFile(writer, "www/health", "ok\n");
        }

        tar.Position = 0;
        return tar;
    }

    private static void AddDirectory(TarWriter writer, string name) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    private static void AddFile(TarWriter writer, string name, string text) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)0b110_100_100,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
        });
}
