using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Metrics;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// Writes access log lines off the request path, in batches: a request only queues an <see cref="AccessLogRecord"/>;
/// one background loop formats what has queued up and writes it with one call (nginx's <c>access_log ... buffer=</c>).
/// Through ILogger and the console logger every line cost a formatted string, a queue hop and a write system call,
/// about a fifth of the gateway's CPU per request (docs/measurements.md).
/// When the output cannot keep up, lines beyond <see cref="AccessLogOptions.QueueCapacity"/> are dropped and counted
/// rather than holding requests back; a failing output (full disk, closed pipe) is logged and its lines counted.
/// </summary>
internal sealed partial class AccessLogWriter(
    IOptions<AccessLogOptions> options,
    GatewayMetrics metrics,
    ILogger<AccessLogWriter> logger) : BackgroundService
{
    private const int BatchChars = 32 * 1024;

    private readonly Channel<AccessLogRecord> _queue = Channel.CreateUnbounded<AccessLogRecord>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly int _capacity = options.Value.QueueCapacity;
    private int _pending;
    private TextWriter? _output;
    private bool _failing;

    /// <summary>Queues a line; never blocks.</summary>
    public void Write(in AccessLogRecord record)
    {
        if (Interlocked.Increment(ref _pending) > _capacity || !_queue.Writer.TryWrite(record))
        {
            Interlocked.Decrement(ref _pending);
            metrics.AccessLogDropped(1);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Opened here so that a file that cannot be opened stops the start with the path in the message.
        if (!options.Value.Enabled)
        {
            _queue.Writer.TryComplete();
            return Task.CompletedTask;
        }
        var path = options.Value.Path;
        _output = string.IsNullOrWhiteSpace(path)
            ? Console.Out
            : new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
                new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: BatchChars);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Lines queued before the stop are still written: the loop ends when the queue is empty.
        _queue.Writer.TryComplete();
        if (_output is not null)
        {
            await base.StopAsync(cancellationToken);
        }
        if (_output is StreamWriter file)
        {
            await file.DisposeAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_output is not { } output)
        {
            return;
        }
        var buffer = ArrayPool<char>.Shared.Rent(BatchChars * 2);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                int length = 0, lines = 0;
                while (_queue.Reader.TryRead(out var record))
                {
                    Interlocked.Decrement(ref _pending);
                    int written;
                    while (!AccessLogFormat.TryFormat(record, buffer.AsSpan(length), out written))
                    {
                        if (length > 0)
                        {
                            await WriteAsync(output, buffer, length, lines);
                            length = lines = 0;
                            continue;
                        }
                        // One line longer than the buffer (a very long target or user agent): a bigger buffer.
                        var bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
                        ArrayPool<char>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    length += written;
                    lines++;
                    if (length >= BatchChars)
                    {
                        await WriteAsync(output, buffer, length, lines);
                        length = lines = 0;
                    }
                }
                await WriteAsync(output, buffer, length, lines);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private async ValueTask WriteAsync(TextWriter output, char[] buffer, int length, int lines)
    {
        if (length == 0)
        {
            return;
        }
        try
        {
            await output.WriteAsync(buffer.AsMemory(0, length));
            await output.FlushAsync();
            if (_failing)
            {
                _failing = false;
                LogOutputRecovered(logger, Describe());
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            metrics.AccessLogDropped(lines);
            if (!_failing)
            {
                _failing = true;
                LogOutputFailed(logger, Describe(), e);
            }
        }
    }

    private string Describe() => string.IsNullOrWhiteSpace(options.Value.Path) ? "standard output" : options.Value.Path;

    [LoggerMessage(EventId = 10, Level = LogLevel.Error,
        Message = "Access log lines cannot be written to {Output}; they are dropped and counted until it works again")]
    private static partial void LogOutputFailed(ILogger logger, string output, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Access log lines are written to {Output} again")]
    private static partial void LogOutputRecovered(ILogger logger, string output);
}
