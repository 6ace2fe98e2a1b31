namespace StarGuide.Scaler.Drivers.Process;

/// <summary>
/// Copies what an instance writes to its output file into the scaler's log, line by line, with the instance id.
/// The instance writes to a file rather than a pipe so that it keeps running (and logging) while the scaler restarts.
/// </summary>
internal sealed partial class OutputTail : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();

    private OutputTail()
    {
    }

    public static OutputTail Start(string path, string instanceId, bool fromEnd, ILogger logger)
    {
        var tail = new OutputTail();
        _ = tail.RunAsync(path, instanceId, fromEnd, logger);
        return tail;
    }

    private async Task RunAsync(string path, string instanceId, bool fromEnd, ILogger logger)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fromEnd)
            {
                stream.Seek(0, SeekOrigin.End);
            }
            using var reader = new StreamReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                var line = await reader.ReadLineAsync(_stop.Token);
                if (line is null)
                {
                    await Task.Delay(PollInterval, _stop.Token);
                    continue;
                }
                LogLine(logger, instanceId, line);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException ex)
        {
            LogTailFailed(logger, ex, instanceId, path);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{InstanceId}] {Line}")]
    private static partial void LogLine(ILogger logger, string instanceId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped copying the output of {InstanceId} from {Path}")]
    private static partial void LogTailFailed(ILogger logger, Exception ex, string instanceId, string path);
}
