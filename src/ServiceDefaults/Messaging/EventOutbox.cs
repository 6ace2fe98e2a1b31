using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// Publishes a service's events in the order they happened, each until the broker confirms it (publisher confirms are
/// on), so that an event produced while RabbitMQ is down is published when it is back, after those before it and
/// before those after it; the service never waits for the broker. Nothing is lost while the process lives; events still
/// waiting when it stops are (each service says what repairs that: the scaler's next snapshot, the monitor's first
/// verdicts after a start, the archive on disk). A publish that timed out may have reached the broker and is sent again:
/// harmless, as every consumer is idempotent.
/// Nothing is published before the service's own bus is healthy (its queues bound): RabbitMQ delivers an event only to
/// the queues bound when it is published, and an event can cause an answer that this service must not miss (the
/// scaler's <c>InstanceStarted</c> makes the health monitor probe the instance and announce its verdict once). A scaler
/// that connected for publishing before its consumers were ready (RabbitMQ starting after the services, as under the
/// AppHost) missed the verdicts on its first instances, which stayed "starting" until StartTimeout replaced them.
/// A publisher that gets nothing confirmed although the bus reports healthy (seen once after a cluster node was killed:
/// every publish timed out for minutes on a connection the bus had recovered; docs/messaging-ha.md) is restarted: after
/// <see cref="EventOutboxOptions.StallAfter"/> of failed attempts the outbox stops the bus and starts it again (new
/// connection, new channels), keeping every event it holds, and goes on publishing them in order. Should restarts not
/// help (<see cref="MaxRestartsWithoutConfirm"/> in a row with nothing confirmed), it stops the service so that the
/// orchestrator starts it anew (Docker's <c>unless-stopped</c>, Kubernetes' <c>Always</c>): the waiting events are lost
/// then, as at any stop, but the service publishes again.
/// Not MassTransit's transactional outbox (events stored with a database transaction): an in-memory queue in front of
/// the bus, ordered and confirmed; the name is older than that distinction.
/// </summary>
/// <remarks>
/// Written here because MassTransit 8 has no outbox for this: its bus outbox keeps messages in a database (Entity
/// Framework Core, MongoDB, …), which these services do not have, and its in-memory outbox only holds back what a
/// consumer publishes until that consumer completes; a plain <c>Publish</c> while the broker is down fails or waits
/// for the caller's cancellation, and retrying it in the caller loses the order and holds the caller up.
/// </remarks>
public sealed partial class EventOutbox(
    IBusControl bus, IOptions<EventOutboxOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<EventOutbox> logger)
    : BackgroundService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    // A stop that waits on a channel that never answers must not hold the restart up for long. MassTransit drops the
    // bus's handle when its stop is cancelled, but its host may then keep the old connection for the start.
    private static readonly TimeSpan BusStopTimeout = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Restarts of the bus in a row with nothing confirmed, after which the outbox stops the service: its orchestrator
    /// starts it anew, the waiting events lost rather than held forever.
    /// </summary>
    public const int MaxRestartsWithoutConfirm = 2;

    private readonly IPipe<PublishContext> _stampHeaders = Pipe.Execute<PublishContext>(context =>
    {
        foreach (var (name, value) in options.Value.Headers)
        {
            context.Headers.Set(name, value);
        }
    });

    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private int _waiting;
    private int _busRestarts;
    private int _restartsWithoutConfirm;

    /// <summary>Events accepted but not yet confirmed by the broker.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>How many times the outbox restarted the bus because nothing was confirmed for <see cref="EventOutboxOptions.StallAfter"/>.</summary>
    public int BusRestarts => Volatile.Read(ref _busRestarts);

    /// <summary>Queues <paramref name="message"/> for publishing after every event queued before it; never blocks.</summary>
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
        // Since when nothing has been confirmed while the bus said healthy: every event before this one was confirmed
        // before its first attempt, and time the bus was not healthy (a broker outage, a restart) is not a stall.
        var stalledSince = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            if (bus.CheckHealth() is { Status: not BusHealthStatus.Healthy } health)
            {
                if (attempt == 1)
                {
                    LogBusNotReady(logger, message.GetType().Name, health.Description, Waiting);
                }
                await Task.Delay(RetryDelay, time, stoppingToken);
                stalledSince = time.GetTimestamp();
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(PublishTimeout);
            try
            {
                await bus.Publish(message, message.GetType(), _stampHeaders, timeout.Token);
                _restartsWithoutConfirm = 0;
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
                if (time.GetElapsedTime(stalledSince) >= options.Value.StallAfter)
                {
                    if (_restartsWithoutConfirm >= MaxRestartsWithoutConfirm)
                    {
                        GiveUp();
                        await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
                    }
                    _restartsWithoutConfirm++;
                    await RestartBusAsync(message, ex, stoppingToken);
                    stalledSince = time.GetTimestamp();
                    continue;
                }
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    private void GiveUp()
    {
        LogGivingUp(logger, _restartsWithoutConfirm, Waiting);
        lifetime.StopApplication();
    }

    private async Task RestartBusAsync(object message, Exception lastFailure, CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref _busRestarts);
        LogRestartingBus(logger, lastFailure, message.GetType().Name, Waiting, options.Value.StallAfter.TotalSeconds);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            stop.CancelAfter(BusStopTimeout);
            try
            {
                await bus.StopAsync(stop.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogBusStopFailed(logger, ex);
            }
        }
        // Until it starts: a bus left stopped would never publish (nor consume) again. StartAsync returns once the bus is
        // connected; a broker that is down meanwhile makes it wait, which is what the outbox would do anyway.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bus.StartAsync(stoppingToken);
                LogBusRestarted(logger, Waiting);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogBusStartFailed(logger, ex, attempt);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Event} ({Waiting} event(s) waiting); retrying every second until the broker confirms")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex, string @event, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Event} yet: the bus is not ready ({Reason}; {Waiting} event(s) waiting); retrying every second")]
    private static partial void LogBusNotReady(ILogger logger, string @event, string reason, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nothing confirmed for {StallSeconds} s although the bus reports healthy ({Event} next, {Waiting} event(s) waiting): restarting the bus; the events are kept")]
    private static partial void LogRestartingBus(ILogger logger, Exception lastFailure, string @event, int waiting, double stallSeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Nothing confirmed after {Restarts} restarts of the bus: stopping the service so that its orchestrator starts it anew; {Waiting} waiting event(s) are lost")]
    private static partial void LogGivingUp(ILogger logger, int restarts, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bus did not stop cleanly before its restart; starting it anyway")]
    private static partial void LogBusStopFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bus did not start again (attempt {Attempt}); retrying every second")]
    private static partial void LogBusStartFailed(ILogger logger, Exception ex, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bus restarted; publishing the {Waiting} waiting event(s)")]
    private static partial void LogBusRestarted(ILogger logger, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Event} after {Attempts} attempts")]
    private static partial void LogPublishedAfterRetries(ILogger logger, string @event, int attempts);
}
