using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Messaging;

/// <summary>
/// Publishes the scaler's pool events in the order they happened, each until the broker confirms it. While RabbitMQ
/// is down the events wait here (nothing is lost while the process lives; after a restart the next snapshot repairs
/// every view) and the pools keep running. A publish that timed out may have reached the broker and is sent again:
/// harmless, because consumers ignore pool versions they have seen.
/// Nothing is published before this scaler's own queues are bound (its bus is healthy): an <c>InstanceStarted</c> makes
/// the health monitor probe the instance and announce its verdict once, and RabbitMQ delivers that verdict only to the
/// queues bound by then. A scaler that connected for publishing before its consumers were ready (RabbitMQ starting after
/// the services, as under the AppHost) missed the verdicts on its first instances, which stayed "starting" although
/// healthy until StartTimeout replaced them.
/// </summary>
/// <remarks>
/// Everything it publishes carries the scaler's scope in <see cref="ScaleRequestEcho.ScopeHeader"/>: the scaler's own
/// <c>ScaleRequested</c>, applied before it was published, is not applied again when its queue receives it.
/// </remarks>
internal sealed partial class PoolEventOutbox(IBusControl bus, IOptions<ScalerOptions> options, TimeProvider time, ILogger<PoolEventOutbox> logger)
    : BackgroundService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IPipe<PublishContext> _stampScope = Pipe.Execute<PublishContext>(
        context => context.Headers.Set(ScaleRequestEcho.ScopeHeader, options.Value.Scope));

    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private int _waiting;

    /// <summary>Events accepted but not yet confirmed by the broker.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Enqueue<T>(T message)
        where T : class
    {
        Interlocked.Increment(ref _waiting);
        _events.Writer.TryWrite(message);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _events.Reader.ReadAllAsync(stoppingToken))
        {
            await PublishUntilConfirmedAsync(message, stoppingToken);
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task PublishUntilConfirmedAsync(object message, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (bus.CheckHealth() is { Status: not BusHealthStatus.Healthy } health)
            {
                if (attempt == 1)
                {
                    LogBusNotReady(logger, message.GetType().Name, health.Description, Waiting);
                }
                await Task.Delay(RetryDelay, time, stoppingToken);
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(PublishTimeout);
            try
            {
                await bus.Publish(message, message.GetType(), _stampScope, timeout.Token);
                if (attempt > 1)
                {
                    LogPublishedAfterRetries(logger, message.GetType().Name, attempt);
                }
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt == 1)
                {
                    LogPublishFailed(logger, ex, message.GetType().Name, Waiting);
                }
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Event} ({Waiting} event(s) waiting); retrying every second until the broker confirms")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex, string @event, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Event} yet: the bus is not ready ({Reason}; {Waiting} event(s) waiting); retrying every second")]
    private static partial void LogBusNotReady(ILogger logger, string @event, string reason, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Event} after {Attempts} attempts")]
    private static partial void LogPublishedAfterRetries(ILogger logger, string @event, int attempts);
}
