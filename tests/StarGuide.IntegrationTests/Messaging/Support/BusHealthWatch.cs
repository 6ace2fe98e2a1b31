using MassTransit;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>
/// Polls a bus's health every 20 ms and keeps its outages: when it stopped being healthy and when it was healthy again
/// (how long a service takes to reconnect).
/// </summary>
internal sealed class BusHealthWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly IBusControl _bus;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Down, long? Up)> _outages = [];
    private readonly Task _loop;

    public BusHealthWatch(IBusControl bus, TimeProvider time)
    {
        _bus = bus;
        _time = time;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Outages so far, as <see cref="TimeProvider"/> timestamps (Up null while it lasts).</summary>
    public IReadOnlyList<(long Down, long? Up)> Outages
    {
        get
        {
            lock (_outages)
            {
                return [.. _outages];
            }
        }
    }

    public bool Healthy => _bus.CheckHealth().Status == BusHealthStatus.Healthy;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var healthy = true;
        while (!_stop.IsCancellationRequested)
        {
            var now = Healthy;
            if (now != healthy)
            {
                var at = _time.GetTimestamp();
                lock (_outages)
                {
                    if (!now)
                    {
                        _outages.Add((at, null));
                    }
                    else if (_outages.Count > 0)
                    {
                        _outages[^1] = (_outages[^1].Down, at);
                    }
                }
                healthy = now;
            }
            await Task.Delay(Interval, _time, _stop.Token);
        }
    }
}
