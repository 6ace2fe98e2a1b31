namespace StarGuide.SampleBackend;

/// <summary>
/// This process's CPU use over the last <see cref="Window"/>, as a share of all the cores it may use (0..1).
/// A background sample at a fixed pace gives every scraper the same window, however often each one scrapes.
/// </summary>
internal sealed class CpuUsageSampler(TimeProvider time) : IHostedService, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private ITimer? _timer;
    private long _lastTimestamp;
    private TimeSpan _lastCpuTime;
    private double _usageRatio;

    public double UsageRatio => Volatile.Read(ref _usageRatio);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _lastTimestamp = time.GetTimestamp();
            _lastCpuTime = Environment.CpuUsage.TotalTime;
        }

        _timer = time.CreateTimer(_ => Sample(), null, Window, Window);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Sample()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var cpuTime = Environment.CpuUsage.TotalTime;
            var elapsed = time.GetElapsedTime(_lastTimestamp, now);
            var used = cpuTime - _lastCpuTime;
            (_lastTimestamp, _lastCpuTime) = (now, cpuTime);

            if (elapsed > TimeSpan.Zero)
            {
                Volatile.Write(ref _usageRatio, Math.Clamp(used / (elapsed * Environment.ProcessorCount), 0, 1));
            }
        }
    }
}

internal static class CpuUsageSamplerRegistration
{
    public static IServiceCollection AddCpuUsageSampler(this IServiceCollection services)
    {
        services.AddSingleton<CpuUsageSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<CpuUsageSampler>());
        return services;
    }
}
