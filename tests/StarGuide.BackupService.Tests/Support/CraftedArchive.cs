using System.Formats.Tar;
using System.IO.Compression;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// Archives written entry by entry as an attacker would, with the <c>.sha256</c> and <c>.manifest.json</c> the service
/// writes (<see cref="ChecksumFile"/>, <see cref="ManifestJson"/>), so that they verify and only the restore's own
/// defences stand in the way.
/// </summary>
internal static class CraftedArchive
{
    private const int ZeroChunk = 1 << 20;

    public static PaxTarEntry File(string name, string content = "x", UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            Mode = mode,
            ModificationTime = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero),
        };

    public static PaxTarEntry Folder(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101) =>
        new(TarEntryType.Directory, name) { Mode = mode, ModificationTime = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero) };

    public static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    /// <summary>Writes the entries into <paramref name="folder"/> under an archive name the service lists.</summary>
    public static async Task<string> WriteAsync(string folder, params TarEntry[] entries)
    {
        var archive = NewArchivePath(folder);
        var manifest = new List<ManifestEntry>();
        await using (var file = System.IO.File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                manifest.Add(Describe(entry.Name, entry.EntryType, entry.DataStream?.Length ?? 0, entry.LinkName));
                await tar.WriteEntryAsync(entry);
            }
        }
        await WriteSidecarsAsync(archive, manifest);
        return archive;
    }

    /// <summary>
    /// Rewrites an archive's manifest, e.g. to disagree with the archive; the checksum (of the archive alone) still
    /// matches.
    /// </summary>
    public static async Task RewriteManifestAsync(string archive, Func<IReadOnlyList<ManifestEntry>, IReadOnlyList<ManifestEntry>> change)
    {
        var path = BackupFileNames.ManifestPath(archive);
        var manifest = await ManifestJson.ReadAsync(path, CancellationToken.None);
        await using var stream = System.IO.File.Create(path);
        await ManifestJson.WriteAsync(manifest with { Entries = change(manifest.Entries) }, stream, CancellationToken.None);
    }

    /// <summary>
    /// A whole, verifying archive holding one file of <paramref name="length"/> zero bytes, written in moments and
    /// about a thousandth of its size: gzip members of 1 MiB of zeros repeated (gzip readers concatenate members),
    /// after a PAX header taken from TarWriter without it ever reading the data.
    /// </summary>
    public static async Task<string> WriteZeroFilledAsync(string folder, string name, long length)
    {
        var archive = NewArchivePath(folder);
        var zeros = Compress(new byte[ZeroChunk]);
        await using (var file = System.IO.File.Create(archive))
        {
            await file.WriteAsync(Compress(HeaderOf(name, length)));
            for (var left = length; left > 0; left -= ZeroChunk)
            {
                await file.WriteAsync(left >= ZeroChunk ? zeros : Compress(new byte[left]));
            }
            // Padding of the data to a 512-byte block, then tar's two empty end blocks.
            await file.WriteAsync(Compress(new byte[(512 - (int)(length % 512)) % 512 + 1024]));
        }
        await WriteSidecarsAsync(archive, [Describe(name, TarEntryType.RegularFile, length, null)]);
        return archive;
    }

    /// <summary>The tar header blocks of a file entry of <paramref name="length"/> bytes, without its data.</summary>
    public static byte[] HeaderOf(string name, long length)
    {
        using var header = new MemoryStream();
        using (var tar = new TarWriter(header, TarEntryFormat.Pax, leaveOpen: true))
        {
            try
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new HeaderOnlyStream(length) });
            }
            catch (HeaderWrittenException)
            {
                // TarWriter asked for the first byte of data: the headers are all written.
            }
        }
        return header.ToArray();
    }

    private static string NewArchivePath(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var sequence = 1; ; sequence++)
        {
            var path = Path.Combine(folder, BackupFileNames.ArchiveName(DateTimeOffset.UtcNow, sequence));
            if (!System.IO.File.Exists(path))
            {
                return path;
            }
        }
    }

    private static ManifestEntry Describe(string name, TarEntryType type, long size, string? linkTarget)
    {
        var kind = EntryTypes.Of(type);
        return new ManifestEntry(name.TrimEnd('/'), kind, kind == EntryTypes.File ? size : 0, "0644", DateTimeOffset.UtcNow, linkTarget);
    }

    private static async Task WriteSidecarsAsync(string archive, List<ManifestEntry> entries)
    {
        var files = entries.Where(e => e.Type == EntryTypes.File).ToList();
        var manifest = new BackupManifest(Guid.NewGuid(), DateTimeOffset.UtcNow, ["/crafted"], entries,
            new ManifestTotals(files.Count, entries.Count(e => e.Type == EntryTypes.Directory), entries.Count(e => e.Type == EntryTypes.Symlink), files.Sum(e => e.Size)));
        await using (var stream = System.IO.File.Create(BackupFileNames.ManifestPath(archive)))
        {
            await ManifestJson.WriteAsync(manifest, stream, CancellationToken.None);
        }
        await System.IO.File.WriteAllTextAsync(BackupFileNames.ChecksumPath(archive),
            ChecksumFile.Format(await ChecksumFile.ComputeAsync(archive, CancellationToken.None), Path.GetFileName(archive)));
    }

    /// <summary>One gzip member holding <paramref name="data"/>.</summary>
    public static byte[] Compress(byte[] data)
    {
        using var member = new MemoryStream();
        using (var gzip = new GZipStream(member, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return member.ToArray();
    }

    private sealed class HeaderWrittenException : Exception;

    /// <summary>Claims a length and a position, and stops TarWriter when it starts reading the data.</summary>
    private sealed class HeaderOnlyStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => throw new HeaderWrittenException();

        public override int Read(Span<byte> buffer) => throw new HeaderWrittenException();

        public override long Seek(long offset, SeekOrigin origin) => Position = offset;

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
