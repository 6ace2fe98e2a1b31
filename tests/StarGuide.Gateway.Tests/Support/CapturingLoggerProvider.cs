using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>Keeps every formatted message of one logger category, for tests that read the log.</summary>
internal sealed class CapturingLoggerProvider(string category) : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Capturing(Messages) : NullLogger;

    public void Dispose()
    {
    }

    private static readonly ILogger NullLogger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class Capturing(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
