using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>Runs one <see cref="PoolAutoscaler"/> for each pool whose <c>Autoscaling:Enabled</c> is true.</summary>
internal sealed class PoolAutoscalers(
    PoolControllers pools, IOptions<AutoscaledPoolsOptions> autoscaling, IOptions<ScalerOptions> scaler, EventOutbox outbox,
    AutoscalingMetrics metrics, IConnectionMultiplexer redis, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loads = new GatewayLoadReader(redis, scaler.Value.GatewayLoadKeyPrefix);
        var autoscalers = new List<PoolAutoscaler>();
        foreach (var controller in pools.All)
        {
            var options = autoscaling.Value.For(controller.Pool);
            if (options.Enabled)
            {
                // The pool's own log category: its decisions read in line with what the pool did about them.
                var logger = loggers.CreateLogger($"StarGuide.Scaler.Pools.{controller.Pool}");
                var sampler = new SignalSampler(options, controller.Driver, loads);
                autoscalers.Add(new PoolAutoscaler(controller, options, sampler, outbox, metrics, time, logger));
            }
        }
        await Task.WhenAll(autoscalers.Select(async a =>
        {
            try
            {
                await a.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }));
    }
}
