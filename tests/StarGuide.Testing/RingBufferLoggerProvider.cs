using Microsoft.Extensions.Logging;

namespace StarGuide.Testing;

/// <summary>
/// Keeps the last lines an in-process host logged, so that a test that times out can say what the service was doing
/// (the test runner shows no host output). <paramref name="keepCategory"/> leaves out chatty categories that would
/// push the lines a test looks for out of the buffer.
/// </summary>
public sealed class RingBufferLoggerProvider(int capacity = 400, Func<string, bool>? keepCategory = null) : ILoggerProvider
{
    private readonly OutputRingBuffer _lines = new(capacity);

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public string Tail(int count = 60) => _lines.Tail(count);

    public ILogger CreateLogger(string categoryName) =>
        keepCategory is null || keepCategory(categoryName) ? new Logger(this, categoryName) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(RingBufferLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            provider._lines.Add(exception is null ? line : $"{line} ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
