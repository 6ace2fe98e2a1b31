using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Probing;

/// <summary>
/// Probes every instance of every pool each <see cref="ProbingOptions.Interval"/> and publishes
/// <see cref="InstanceUnhealthy"/> / <see cref="InstanceRecovered"/> when a verdict changes.
/// </summary>
internal sealed partial class InstanceProber(
    IHttpClientFactory httpClientFactory,
    IBus bus,
    IOptions<PoolsOptions> pools,
    IOptions<ProbingOptions> probing,
    ProbingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<InstanceProber> logger) : BackgroundService
{
    public const string HttpClientName = "probe";

    private readonly ProbingOptions _options = probing.Value;

    internal IReadOnlyList<InstanceHealthTracker> Trackers { get; } =
        [.. pools.Value.SelectMany(p => p.Value.Instances.Select(i => new InstanceHealthTracker(p.Key, p.Value.HealthPath, i)))];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Observe(Trackers);
        LogStarted(logger, Trackers.Count, _options.Interval);
        using var timer = new PeriodicTimer(_options.Interval, timeProvider);
        do
        {
            await Task.WhenAll(Trackers.Select(t => ProbeAndAnnounceAsync(t, stoppingToken)));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeAndAnnounceAsync(InstanceHealthTracker tracker, CancellationToken stoppingToken)
    {
        var result = await ProbeAsync(tracker.ProbeUri, stoppingToken);
        metrics.RecordProbe(tracker, result);
        tracker.Record(result, _options);
        if (tracker.NeedsAnnouncement)
        {
            await AnnounceAsync(tracker, stoppingToken);
        }
    }

    private async Task<ProbeResult> ProbeAsync(Uri probeUri, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.GetAsync(probeUri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? ProbeResult.Success(status)
                : ProbeResult.Failure($"HTTP {status} from {probeUri}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return ProbeResult.Failure($"no answer from {probeUri} within {_options.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            var cause = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
            return ProbeResult.Failure($"{cause} at {probeUri}");
        }
    }

    private async Task AnnounceAsync(InstanceHealthTracker tracker, CancellationToken stoppingToken)
    {
        var verdict = tracker.Verdict;
        var now = timeProvider.GetUtcNow();
        try
        {
            if (verdict == HealthVerdict.Unhealthy)
            {
                await bus.Publish(
                    new InstanceUnhealthy(tracker.InstanceId, tracker.Pool, tracker.Address, tracker.LastFailure,
                        tracker.ConsecutiveFailures, now),
                    stoppingToken);
                LogUnhealthy(logger, tracker.Pool, tracker.InstanceId, tracker.LastFailure);
            }
            else
            {
                await bus.Publish(new InstanceRecovered(tracker.InstanceId, tracker.Pool, tracker.Address, now), stoppingToken);
                LogHealthy(logger, tracker.Pool, tracker.InstanceId);
            }
            tracker.MarkAnnounced(verdict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Not marked as announced: the next probe round publishes it again.
            LogPublishFailed(logger, ex, tracker.Pool, tracker.InstanceId, verdict);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probing {Count} instances every {Interval}")]
    private static partial void LogStarted(ILogger logger, int count, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Pool}/{InstanceId} is unhealthy: {Reason}")]
    private static partial void LogUnhealthy(ILogger logger, string pool, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Pool}/{InstanceId} is healthy")]
    private static partial void LogHealthy(ILogger logger, string pool, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish verdict {Verdict} for {Pool}/{InstanceId}; retrying next round")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex, string pool, string instanceId, HealthVerdict verdict);
}
