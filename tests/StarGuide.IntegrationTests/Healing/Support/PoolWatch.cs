using System.Globalization;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// Follows a pool for benchmarks: every 250 ms its desired and ready sizes (<c>GET /pools/{pool}</c>) and the
/// autoscaler's CPU reading (its <c>/metrics</c>), each change recorded at a time on the caller's clock.
/// </summary>
internal sealed class PoolWatch : IAsyncDisposable
{
    private readonly ScalerProcess _scaler;
    private readonly string _pool;
    private readonly Func<TimeSpan> _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TimeSpan At, int Size)> _desired = [];
    private readonly List<(TimeSpan At, int Size)> _ready = [];
    private readonly List<(TimeSpan At, double Percent)> _cpu = [];
    private readonly Task _loop;

    private PoolWatch(ScalerProcess scaler, string pool, Func<TimeSpan> clock)
    {
        _scaler = scaler;
        _pool = pool;
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    public static PoolWatch Start(ScalerProcess scaler, string pool, Func<TimeSpan> clock) => new(scaler, pool, clock);

    /// <summary>The desired size at the start and at each change.</summary>
    public IReadOnlyList<(TimeSpan At, int Size)> Desired { get { lock (_desired) { return [.. _desired]; } } }

    /// <summary>The number of ready instances at the start and at each change.</summary>
    public IReadOnlyList<(TimeSpan At, int Size)> Ready { get { lock (_ready) { return [.. _ready]; } } }

    /// <summary>The autoscaler's CPU signal (percent of one core per ready instance), every reading.</summary>
    public IReadOnlyList<(TimeSpan At, double Percent)> Cpu { get { lock (_cpu) { return [.. _cpu]; } } }

    /// <summary>How often the desired size turned round: up after down or down after up.</summary>
    public static int DirectionChanges(IReadOnlyList<(TimeSpan At, int Size)> sizes)
    {
        var turns = 0;
        var last = 0;
        for (var i = 1; i < sizes.Count; i++)
        {
            var direction = Math.Sign(sizes[i].Size - sizes[i - 1].Size);
            if (direction != 0 && last != 0 && direction != last)
            {
                turns++;
            }
            last = direction == 0 ? last : direction;
        }
        return turns;
    }

    /// <summary>"1 at 0.0 s, 2 at 8.3 s, …"</summary>
    public static string Timeline(IReadOnlyList<(TimeSpan At, int Size)> sizes) =>
        string.Join(", ", sizes.Select(s => $"{s.Size} at {s.At.TotalSeconds:0.0} s"));

    /// <summary>The time-weighted mean size from the first entry to <paramref name="end"/>.</summary>
    public static double MeanSize(IReadOnlyList<(TimeSpan At, int Size)> sizes, TimeSpan end)
    {
        var total = 0.0;
        for (var i = 0; i < sizes.Count; i++)
        {
            var until = i + 1 < sizes.Count ? sizes[i + 1].At : end;
            total += sizes[i].Size * (until - sizes[i].At).TotalSeconds;
        }
        return sizes.Count == 0 ? double.NaN : total / (end - sizes[0].At).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (await _scaler.PoolAsync(_pool) is { } status)
            {
                var now = _clock();
                Record(_desired, now, status.Desired);
                Record(_ready, now, status.Ready);
            }
            if (await CpuAsync() is { } cpu)
            {
                lock (_cpu)
                {
                    _cpu.Add((_clock(), cpu));
                }
            }
            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    private async Task<double?> CpuAsync()
    {
        try
        {
            var text = await _scaler.Client.GetStringAsync("/metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("starguide_autoscaler_signal{", StringComparison.Ordinal)
                && l.Contains($"pool=\"{_pool}\"", StringComparison.Ordinal) && l.Contains("signal=\"cpu\"", StringComparison.Ordinal));
            var value = line?[(line.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0];
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) ? percent : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static void Record(List<(TimeSpan At, int Size)> sizes, TimeSpan at, int size)
    {
        lock (sizes)
        {
            if (sizes.Count == 0 || sizes[^1].Size != size)
            {
                sizes.Add((at, size));
            }
        }
    }
}
