using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// One log line when the broker cannot be reached ("waiting for RabbitMQ at …: Connection refused") and one when the
/// bus is connected again, in place of MassTransit's per-retry stack traces (see <see cref="BrokerNoiseLoggerFactory"/>).
/// Services run without the broker meanwhile; /health reports the bus as not ready.
/// </summary>
internal sealed partial class BrokerConnectionReporter(
    IBusControl bus, BrokerConnectionState state, BrokerAddress address, TimeProvider timeProvider, ILogger<BrokerConnectionReporter> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectedOnce = false;
        long? waitingSince = null;
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var healthy = bus.CheckHealth().Status == BusHealthStatus.Healthy;
                if (healthy)
                {
                    if (waitingSince is { } since)
                    {
                        LogConnected(logger, address.Display, timeProvider.GetElapsedTime(since).TotalSeconds);
                    }
                    waitingSince = null;
                    connectedOnce = true;
                    state.Clear();
                }
                else if (waitingSince is null && state.LastFailure is { } reason)
                {
                    waitingSince = timeProvider.GetTimestamp();
                    if (connectedOnce)
                    {
                        LogLost(logger, address.Display, reason);
                    }
                    else
                    {
                        LogWaiting(logger, address.Display, reason);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for RabbitMQ at {Broker}: {Reason}. The service runs meanwhile; events flow once the broker answers")]
    private static partial void LogWaiting(ILogger logger, string broker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost RabbitMQ at {Broker}: {Reason}. Reconnecting; events wait until then")]
    private static partial void LogLost(ILogger logger, string broker, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Broker} after {Seconds:0.0} s")]
    private static partial void LogConnected(ILogger logger, string broker, double seconds);
}

/// <summary>The broker as logs show it: host and port (of each node of a cluster), never the credentials.</summary>
internal sealed record BrokerAddress(string Display);
