using System.Threading.Channels;
using MassTransit;

namespace StarGuide.BackupService.Messaging;

/// <summary>
/// Publishes backup events in order, each until the broker confirms it (publisher confirms are on), as the health
/// monitor announces verdicts: a broker outage delays an event but does not lose it while the process lives. A
/// backup never waits for the broker.
/// </summary>
internal sealed partial class BusBackupEvents(IBus bus, TimeProvider timeProvider, ILogger<BusBackupEvents> logger)
    : BackgroundService, IBackupEvents
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private readonly Channel<object> _pending = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public void Announce(object message) => _pending.Writer.TryWrite(message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(PublishTimeout);
                    await bus.Publish(message, message.GetType(), timeout.Token);
                    LogPublished(logger, message.GetType().Name, message);
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPublishFailed(logger, ex, message.GetType().Name, attempt, RetryInterval);
                    await Task.Delay(RetryInterval, timeProvider, stoppingToken);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventType}: {Event}")]
    private static partial void LogPublished(ILogger logger, string eventType, object @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish {EventType} (attempt {Attempt}); retrying in {Interval}")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex, string eventType, int attempt, TimeSpan interval);
}
