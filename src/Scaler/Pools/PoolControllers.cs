using Microsoft.Extensions.Options;
using StarGuide.Scaler.Drivers;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Pools;

/// <summary>Runs one <see cref="PoolController"/> per configured pool, and finds a pool's controller by name.</summary>
internal sealed partial class PoolControllers : BackgroundService
{
    private readonly Dictionary<string, PoolController> _controllers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ScalerOptions _options;
    private readonly ILogger<PoolControllers> _logger;

    public PoolControllers(
        IOptions<ScalerOptions> options, IEnumerable<IInstanceDriverFactory> drivers, PoolStore store, EventOutbox outbox,
        ScalerMetrics metrics, IPoolActivity activity, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        _logger = loggers.CreateLogger<PoolControllers>();
        foreach (var (pool, settings) in _options.Pools)
        {
            var factory = drivers.First(d => string.Equals(d.Kind, settings.Driver, StringComparison.OrdinalIgnoreCase));
            var driver = factory.Create(pool, settings);
            var logger = loggers.CreateLogger($"StarGuide.Scaler.Pools.{pool}");
            var controller = new PoolController(pool, _options, driver, store, outbox, metrics, activity, time, logger);
            _controllers[pool] = controller;
        }
        metrics.Observe(() => _controllers.Values.Select(c => c.Status));
    }

    public IEnumerable<PoolController> All => _controllers.Values;

    public PoolController? Find(string pool) => _controllers.GetValueOrDefault(pool);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogOwning(_logger, _controllers.Count, string.Join(", ", _controllers.Keys));
        await Task.WhenAll(_controllers.Values.Select(c => RunAsync(c.RunAsync, stoppingToken)));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The scaler owns {Count} pool(s): {Pools}")]
    private static partial void LogOwning(ILogger logger, int count, string pools);
}
