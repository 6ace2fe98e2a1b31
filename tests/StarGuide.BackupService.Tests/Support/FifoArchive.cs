using System.Diagnostics;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// An archive whose file is replaced by a fifo that the test feeds with the archive's bytes each time the service
/// opens it, so that a test can act at a known point of a restore: the service is then blocked in its first read.
/// A restore opens the archive three times: its checksum, its verification, its extraction.
/// </summary>
internal sealed class FifoArchive : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _path;
    private readonly byte[] _bytes;

    private FifoArchive(string path, byte[] bytes)
    {
        _path = path;
        _bytes = bytes;
    }

    public static async Task<FifoArchive> ReplaceAsync(string archive)
    {
        var bytes = await File.ReadAllBytesAsync(archive);
        File.Delete(archive);
        using var mkfifo = Process.Start("mkfifo", [archive]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return new FifoArchive(archive, bytes);
    }

    /// <summary>
    /// Waits for the service to open the archive, feeds it the first <paramref name="holdAt"/> bytes, runs
    /// <paramref name="whileOpen"/> (the service waits for more data meanwhile), then feeds it the rest.
    /// </summary>
    public async Task ServeAsync(Func<Task>? whileOpen = null, int holdAt = 0)
    {
        await using (var fifo = await Task.Run(() => new FileStream(_path, FileMode.Open, FileAccess.Write)).WaitAsync(Patience))
        {
            // A writer's open returns before the reader's file descriptor exists; the reader waits for data until the
            // write below, so its descriptor is seen here and its closing after the write is not missed.
            var mine = (int)fifo.SafeFileHandle.DangerousGetHandle();
            await UntilAsync(() => OpenHere(except: mine));
            await fifo.WriteAsync(_bytes.AsMemory(0, holdAt));
            await fifo.FlushAsync();
            if (whileOpen is not null)
            {
                await whileOpen();
            }
            await fifo.WriteAsync(_bytes.AsMemory(holdAt));
        }
        // The next writer must meet the next reader, not this one before it closes.
        await UntilAsync(() => !OpenHere(except: -1));
    }

    public int Length => _bytes.Length;

    /// <summary>Lets a reader still waiting for the archive (a test that failed midway) see its end.</summary>
    public async ValueTask DisposeAsync()
    {
        var writer = Task.Run(() => new FileStream(_path, FileMode.Open, FileAccess.Write));
        var reader = Task.Run(() => new FileStream(_path, FileMode.Open, FileAccess.Read));
        try
        {
            await Task.WhenAll(writer, reader).WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            // Nothing more to do: a blocked thread of a failed test must not hang the others.
        }
        foreach (var open in new[] { writer, reader }.Where(t => t.IsCompletedSuccessfully))
        {
            await open.Result.DisposeAsync();
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, patience.Token);
        }
    }

    /// <summary>Whether a file descriptor of this process (the service runs in it), other than one, has the fifo open.</summary>
    private bool OpenHere(int except) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Any(fd =>
        {
            try
            {
                return Path.GetFileName(fd) != except.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && new FileInfo(fd).LinkTarget == _path;
            }
            catch (IOException)
            {
                return false;
            }
        });
}
