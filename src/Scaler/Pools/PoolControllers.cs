using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Scaler.Autoscaling;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Messaging;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Pools;

/// <summary>Runs one <see cref="PoolController"/> per configured pool, and finds a pool's controller by name.</summary>
internal sealed partial class PoolControllers : BackgroundService
{
    /// <summary>The longest the pools wait for this scaler's bus before they start anyway.</summary>
    private static readonly TimeSpan BusWait = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, PoolController> _controllers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IBusControl _bus;
    private readonly BrokerConnectionState _broker;
    private readonly TimeProvider _time;
    private readonly List<PoolAutoscaler> _autoscalers = [];
    private readonly ScalerOptions _options;
    private readonly ILogger<PoolControllers> _logger;

    public PoolControllers(
        IOptions<ScalerOptions> options, IEnumerable<IInstanceDriverFactory> drivers, PoolStore store, PoolEventOutbox outbox,
        ScalerMetrics metrics, AutoscalingMetrics autoscalingMetrics, StatusPage.RecentActivity activity, IConnectionMultiplexer redis,
        IBusControl bus, BrokerConnectionState broker, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        _bus = bus;
        _broker = broker;
        _time = time;
        _logger = loggers.CreateLogger<PoolControllers>();
        foreach (var (pool, settings) in _options.Pools)
        {
            var factory = drivers.First(d => string.Equals(d.Kind, settings.Driver, StringComparison.OrdinalIgnoreCase));
            var driver = factory.Create(pool, settings);
            var logger = loggers.CreateLogger($"StarGuide.Scaler.Pools.{pool}");
            var controller = new PoolController(pool, _options, driver, store, outbox, metrics, activity, time, logger);
            _controllers[pool] = controller;
            if (settings.Autoscaling.Enabled)
            {
                var sampler = new SignalSampler(settings.Autoscaling, driver, new GatewayLoadReader(redis, _options.GatewayLoadKeyPrefix));
                _autoscalers.Add(new PoolAutoscaler(controller, settings.Autoscaling, sampler, outbox, autoscalingMetrics, time, logger));
            }
        }
        metrics.Observe(() => _controllers.Values.Select(c => c.Status));
    }

    public IEnumerable<PoolController> All => _controllers.Values;

    public PoolController? Find(string pool) => _controllers.GetValueOrDefault(pool);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogOwning(_logger, _controllers.Count, string.Join(", ", _controllers.Keys));
        await WaitForBusAsync(stoppingToken);
        await Task.WhenAll(_controllers.Values.Select(c => RunAsync(c.RunAsync, stoppingToken))
            .Concat(_autoscalers.Select(a => RunAsync(a.RunAsync, stoppingToken))));
    }

    /// <summary>
    /// RabbitMQ delivers an event only to the queues bound when it is published, and the health monitor announces a
    /// verdict once, when it changes. Pools started before this scaler's queues are bound (every service starts at once
    /// under the AppHost) missed the first verdicts on their instances: the instances stayed "starting" although healthy,
    /// and were replaced after StartTimeout. So the pools start once the bus is ready; at once when the broker is known
    /// to be unreachable (nothing could be heard anyway: the pools start, and their events wait in the outbox), and after
    /// <see cref="BusWait"/> at the latest.
    /// </summary>
    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        var deadline = _time.GetUtcNow() + BusWait;
        while (_bus.CheckHealth().Status != BusHealthStatus.Healthy && _broker.LastFailure is null && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stoppingToken);
        }
        var health = _bus.CheckHealth();
        if (health.Status != BusHealthStatus.Healthy)
        {
            LogStartingWithoutBus(_logger, _broker.LastFailure ?? health.Description);
        }
    }

    private static async Task RunAsync(Func<CancellationToken, Task> loop, CancellationToken stoppingToken)
    {
        try
        {
            await loop(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_options.StopInstancesOnShutdown)
        {
            await Task.WhenAll(_controllers.Values.Select(c => c.StopAllAsync(cancellationToken)));
        }
        foreach (var controller in _controllers.Values)
        {
            await controller.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the pools before the message bus is ready ({Reason}): health verdicts on their first instances may be missed, which StartTimeout then repairs by replacing them")]
    private static partial void LogStartingWithoutBus(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The scaler owns {Count} pool(s): {Pools}")]
    private static partial void LogOwning(ILogger logger, int count, string pools);
}
