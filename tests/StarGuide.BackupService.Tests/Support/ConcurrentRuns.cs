using Microsoft.Extensions.Logging;
using StarGuide.BackupService.Backups;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// Counts the backups running at once from inside the lock: <see cref="BackupRunner"/> logs "started" after it took the
/// lock and "completed" or "failed" before it lets go, so between the two a backup holds the lock. Sampling the runs'
/// states from outside would miss an overlap shorter than the sampling period.
/// </summary>
internal sealed class ConcurrentRuns : ILoggerProvider
{
    private int _running;
    private int _most;
    private int _started;

    public int MostAtOnce => Volatile.Read(ref _most);

    public int Started => Volatile.Read(ref _started);

    /// <summary>Adds this provider with Information level for the runner (the harness logs warnings only).</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<ConcurrentRuns>(typeof(BackupRunner).FullName, LogLevel.Information);
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == typeof(BackupRunner).FullName ? new RunnerLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void OnStarted()
    {
        Interlocked.Increment(ref _started);
        var now = Interlocked.Increment(ref _running);
        int most;
        while ((most = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, most) != most)
        {
        }
    }

    private void OnFinished() => Interlocked.Decrement(ref _running);

    private sealed class RunnerLogger(ConcurrentRuns owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            switch (eventId.Name)
            {
                case "LogStarted":
                    owner.OnStarted();
                    break;
                case "LogCompleted" or "LogFailed":
                    owner.OnFinished();
                    break;
            }
        }
    }
}
