using StarGuide.Contracts;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// One pool's autoscaling loop: every sample interval it reads the signals, asks <see cref="AutoscaleEngine"/>, and
/// when the desired size changes has the pool's controller apply it and publishes <c>ScaleRequested</c> with the
/// values it was decided on. Every decision, and every change of what holds one back, is logged once.
/// </summary>
internal sealed partial class PoolAutoscaler(
    PoolController controller,
    AutoscalingOptions options,
    SignalSampler sampler,
    EventOutbox outbox,
    AutoscalingMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    public const string RequestedBy = "autoscaler";

    private readonly AutoscaleEngine _engine = new(options);
    private string? _lastHeldBack;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (sampler.WantsCpu && !sampler.MeasuresCpu)
        {
            LogNoCpu(logger, controller.Pool);
        }
        LogStarted(logger, controller.Pool, options.Policy, options.CheckInterval.TotalSeconds);
        using var timer = new PeriodicTimer(options.SampleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DecideAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, controller.Pool);
            }
        }
    }

    private async Task DecideAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var status = controller.Status;
        var readings = await sampler.ReadAsync(controller.Pool, status.Members, now, stoppingToken);
        metrics.Observe(controller.Pool, readings);
        var ready = status.Members.Count(m => m.State == Planning.MemberState.Ready);
        var decision = _engine.Evaluate(new AutoscaleInput(status.Desired, ready, status.Lowest, status.Highest, readings), now);
        var values = string.Join(", ", readings.Select(r => $"{r.Name} {r.Value:0.#}/{r.Target:0.#}{(r.Complete ? "" : " (partial)")}"));

        if (decision.Desired != status.Desired)
        {
            _lastHeldBack = null;
            LogDecision(logger, controller.Pool, status.Desired, decision.Desired, decision.Reason, ready, values);
            metrics.Decision(controller.Pool, decision.Direction, decision.Kind);
            await controller.Post(new ScaleTo(decision.Desired, decision.Reason, RequestedBy)).Applied.Task;
            outbox.Enqueue(new ScaleRequested(Guid.NewGuid(), controller.Pool, decision.Desired, decision.Reason, RequestedBy, now,
                readings.ToDictionary(r => r.Name, r => Math.Round(r.Value, 2))));
        }
        else if (decision.HeldBack != _lastHeldBack)
        {
            _lastHeldBack = decision.HeldBack;
            if (decision.HeldBack is { } why)
            {
                LogHeldBack(logger, controller.Pool, status.Desired, why, decision.Reason, values);
                metrics.HeldBack(controller.Pool, decision.Kind);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: autoscaling ({Policy} policy, a decision every {Seconds:0.#} s)")]
    private static partial void LogStarted(ILogger logger, string pool, string policy, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: its driver cannot measure an instance's CPU; the CPU signal is left out")]
    private static partial void LogNoCpu(ILogger logger, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: scale {From} → {To}: {Reason} ({Ready} ready; {Values})")]
    private static partial void LogDecision(ILogger logger, string pool, int from, int to, string reason, int ready, string values);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: stays at {Desired}, held back: {Why} ({Reason}; {Values})")]
    private static partial void LogHeldBack(ILogger logger, string pool, int desired, string why, string reason, string values);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: an autoscaling decision failed; trying again at the next reading")]
    private static partial void LogFailed(ILogger logger, Exception ex, string pool);
}
