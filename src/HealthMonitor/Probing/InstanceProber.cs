using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Membership;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.HealthMonitor.Probing;

/// <summary>
/// Probes every current member of every pool each <see cref="ProbingOptions.Interval"/> and publishes
/// <see cref="InstanceUnhealthy"/> / <see cref="InstanceRecovered"/> when a verdict changes, through the
/// <see cref="EventOutbox"/>: a round never waits for the broker, and a verdict reached while it is down is published
/// when it is back, in order.
/// </summary>
/// <remarks>
/// A round probes all instances at once and ends when all have answered or timed out, so a hung instance (SIGSTOP)
/// has at most one probe open. A round takes at most <see cref="ProbingOptions.Timeout"/> (a verdict is handed to the
/// outbox, never waited for), so with the defaults (Interval 2 s, Timeout 1 s) rounds start every 2 s: an instance that
/// hangs just after answering fails the probes at 2 s and 4 s, and the second one times out at 5 s, when the verdict
/// is handed to the outbox, which publishes it at once (UnhealthyThreshold 2). In general the bound is
/// UnhealthyThreshold × Interval + Timeout while Timeout ≤ Interval.
/// </remarks>
internal sealed partial class InstanceProber(
    IHttpClientFactory httpClientFactory,
    EventOutbox outbox,
    PoolMembership membership,
    IOptions<ProbingOptions> probing,
    ProbingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<InstanceProber> logger) : BackgroundService
{
    public const string HttpClientName = "probe";

    private readonly ProbingOptions _options = probing.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, membership.Trackers.Count, _options.Interval);
        using var timer = new PeriodicTimer(_options.Interval, timeProvider);
        do
        {
            // The members as they are now; one that joins during the round is probed from the next.
            await Task.WhenAll(membership.Trackers.Select(t => ProbeAndAnnounceAsync(t, stoppingToken)));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProbeAndAnnounceAsync(InstanceHealthTracker tracker, CancellationToken stoppingToken)
    {
        var result = await ProbeAsync(tracker.ProbeUri, stoppingToken);
        if (tracker.IsRetired)
        {
            // It left the pool while the probe was out: no verdict on an instance that is gone.
            return;
        }
        metrics.RecordProbe(tracker, result);
        tracker.Record(result, _options);
        if (tracker.NeedsAnnouncement)
        {
            Announce(tracker);
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

    /// <summary>
    /// Hands the new verdict to the outbox, stamped with the time it was reached: it is published after every verdict
    /// reached before it, however long the broker is away, even if the instance has recovered or left the pool by then
    /// (consumers apply verdicts in order and ignore instances they no longer have).
    /// </summary>
    private void Announce(InstanceHealthTracker tracker)
    {
        var verdict = tracker.Verdict;
        var now = timeProvider.GetUtcNow();
        if (verdict == HealthVerdict.Unhealthy)
        {
            outbox.Enqueue(new InstanceUnhealthy(tracker.InstanceId, tracker.Pool, tracker.Address, tracker.LastFailure,
                tracker.ConsecutiveFailures, now));
            LogUnhealthy(logger, tracker.Pool, tracker.InstanceId, tracker.LastFailure);
        }
        else
        {
            outbox.Enqueue(new InstanceRecovered(tracker.InstanceId, tracker.Pool, tracker.Address, now));
            LogHealthy(logger, tracker.Pool, tracker.InstanceId);
        }
        tracker.MarkAnnounced(verdict);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probing {Count} instances every {Interval}")]
    private static partial void LogStarted(ILogger logger, int count, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {Pool}/{InstanceId} is unhealthy: {Reason}")]
    private static partial void LogUnhealthy(ILogger logger, string pool, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Pool}/{InstanceId} is healthy")]
    private static partial void LogHealthy(ILogger logger, string pool, string instanceId);
}
