using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.ServiceDefaults.LoadReports;
using Yarp.ReverseProxy;

namespace StarGuide.Gateway.LoadReport;

/// <summary>
/// Writes, every interval, each destination's requests in flight and requests sent so far (with the time) into one
/// Redis hash per gateway replica, so that the scaler sees the load that all replicas together send to each instance.
/// Off the request path; a Redis outage only pauses the reports (the scaler treats missing reports as unknown load).
/// </summary>
internal sealed partial class LoadReporter(
    IProxyStateLookup proxyState,
    IConnectionMultiplexer redis,
    IOptions<LoadReportOptions> options,
    TimeProvider time,
    ILogger<LoadReporter> logger) : BackgroundService
{
    private readonly string _key = GatewayLoadReport.Key(options.Value.KeyPrefix, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReportAsync();
        }
    }

    private async Task ReportAsync()
    {
        var now = time.GetUtcNow();
        var entries = new List<HashEntry>();
        foreach (var cluster in proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                entries.Add(new HashEntry(GatewayLoadReport.Field(cluster.ClusterId, destination.DestinationId),
                    GatewayLoadReport.Value(destination.ConcurrentRequestCount, DestinationRequestCounts.Read(destination), now)));
            }
        }
        try
        {
            var database = redis.GetDatabase();
            var transaction = database.CreateTransaction();
            _ = transaction.KeyDeleteAsync(_key);
            if (entries.Count > 0)
            {
                _ = transaction.HashSetAsync(_key, [.. entries]);
                _ = transaction.KeyExpireAsync(_key, options.Value.Interval * 5);
            }
            await transaction.ExecuteAsync();
            if (_failing)
            {
                _failing = false;
                LogResumed(logger, _key);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (!_failing)
            {
                _failing = true;
                LogFailed(logger, ex, _key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report instance load to Redis ({Key}); the scaler sees no load from this replica until it can")]
    private static partial void LogFailed(ILogger logger, Exception ex, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reporting instance load to Redis again ({Key})")]
    private static partial void LogResumed(ILogger logger, string key);
}
