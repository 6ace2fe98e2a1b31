using System.Globalization;
using System.Text.RegularExpressions;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>
/// Follows one instance in a gateway process's own view, from its management <c>/metrics</c> every 50 ms:
/// <c>starguide_gateway_instance_available{pool,instance}</c> is 1 while the instance is in rotation, 0 while it is out
/// (a verdict, draining, passive health), and absent once the gateway removed it from the pool (<c>InstanceStopped</c> or
/// a snapshot without it). Also reads the gateway's retry counter, <c>starguide_gateway_retries_total</c> (the gateway runs
/// in a process of its own here, so the counter is its alone). Times are on the caller's clock.
/// </summary>
internal sealed partial class GatewayRotationWatch : IAsyncDisposable
{
    private readonly HttpClient _management;
    private readonly Regex _series;
    private readonly Func<TimeSpan> _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<TimeSpan> _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private TimeSpan? _outOfRotation;

    private GatewayRotationWatch(HttpClient management, string pool, string instanceId, Func<TimeSpan> clock)
    {
        _management = management;
        _clock = clock;
        var labels = $"(?=[^}}]*pool=\"{Regex.Escape(pool)}\")(?=[^}}]*instance=\"{Regex.Escape(instanceId)}\")";
        _series = new Regex($"^starguide_gateway_instance_available\\{{{labels}[^}}]*\\}} ([0-9.]+)", RegexOptions.Multiline);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts watching; returns once the instance has been seen in the gateway's view (it must be there to leave it).</summary>
    public static async Task<GatewayRotationWatch> StartAsync(HttpClient management, string pool, string instanceId, Func<TimeSpan> clock, TimeSpan within)
    {
        var watch = new GatewayRotationWatch(management, pool, instanceId, clock);
        using var timeout = new CancellationTokenSource(within);
        while (watch._series.Match(await watch.MetricsAsync()) is not { Success: true })
        {
            if (timeout.IsCancellationRequested)
            {
                await watch.DisposeAsync();
                throw new TimeoutException($"{pool}/{instanceId} was not in the gateway's /metrics within {within.TotalSeconds:0.#} s");
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return watch;
    }

    /// <summary>When the gateway was first seen without the instance in rotation (0 or removed); null if not yet.</summary>
    public TimeSpan? OutOfRotation => _outOfRotation;

    /// <summary>When the gateway was first seen without the instance in its pool at all.</summary>
    public Task<TimeSpan> RemovedAsync(TimeSpan within) => _removed.Task.WaitAsync(within);

    /// <summary>The gateway's retries so far, every pool and cause.</summary>
    public async Task<long> RetriesAsync() =>
        RetriesLine().Matches(await MetricsAsync()).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested && !_removed.Task.IsCompleted)
        {
            var text = await MetricsAsync();
            if (text.Length > 0)
            {
                var now = _clock();
                var match = _series.Match(text);
                if (!match.Success || match.Groups[1].Value == "0")
                {
                    _outOfRotation ??= now;
                }
                if (!match.Success)
                {
                    _removed.TrySetResult(now);
                }
            }
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    /// <summary>The gateway's /metrics, or "" when it does not answer in time (a busy machine): "not known yet".</summary>
    private async Task<string> MetricsAsync()
    {
        try
        {
            return await _management.GetStringAsync("/metrics");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }

    [GeneratedRegex("^starguide_gateway_retries_total\\{[^}]*\\} ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex RetriesLine();
}
