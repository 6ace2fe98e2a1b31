using Microsoft.Extensions.Logging;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// The host's logger factory, except that MassTransit's "broker unreachable" entries (a warning and an info line with
/// a stack trace per connection retry: hundreds of lines while RabbitMQ starts) go to <see cref="BrokerConnectionState"/>
/// instead; <see cref="BrokerConnectionReporter"/> turns them into one line per outage. MassTransit offers no setting
/// for this: it logs every retry under the one category "MassTransit", with everything else it logs.
/// </summary>
internal sealed class BrokerNoiseLoggerFactory(ILoggerFactory inner, BrokerConnectionState state) : ILoggerFactory
{
    private const string MassTransitCategory = "MassTransit";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == MassTransitCategory ? new Filter(logger, state) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class Filter(ILogger inner, BrokerConnectionState state) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState scope) where TState : notnull => inner.BeginScope(scope);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState logState, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (BrokerConnectionState.IsUnreachable(exception, out var reason))
            {
                state.Failed(reason);
                return;
            }
            inner.Log(logLevel, eventId, logState, exception, formatter);
        }
    }
}
