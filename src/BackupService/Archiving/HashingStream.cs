using System.Security.Cryptography;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// Passes writes through to <paramref name="inner"/> and hashes them on the way, so the archive's SHA-256 is known
/// when the last byte is written instead of after reading the whole file again. A failed write (a full disk) becomes
/// a <see cref="BackupException"/> naming <paramref name="path"/>, so that it is not mistaken for a source's error.
/// </summary>
internal sealed class HashingStream(Stream inner, string path) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    /// <summary>Lower-case hex SHA-256 of everything written so far.</summary>
    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        try
        {
            inner.Write(buffer);
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }
    }

    private BackupException WriteFailed(IOException ex) => new($"Writing the archive '{path}' failed: {ex.Message}", ex);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
