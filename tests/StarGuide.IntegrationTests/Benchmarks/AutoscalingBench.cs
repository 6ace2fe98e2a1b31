using System.Globalization;
using StarGuide.IntegrationTests.Healing.Support;

namespace StarGuide.IntegrationTests.Benchmarks;

/// <summary>
/// What the autoscaling benchmarks share: the load (requests that burn <see cref="BurnMs"/> of CPU on an instance),
/// the pool's settings, and how figures are printed (lines starting with <see cref="Figure"/>, which
/// <c>bench/autoscaling.sh</c> collects).
/// </summary>
internal static class AutoscalingBench
{
    /// <summary>The benchmarks run one after another: timings taken side by side would measure each other.</summary>
    public const string Collection = "autoscaling benchmarks";

    public const string Figure = "[bench]";

    public const string Reason = "STARGUIDE_BENCH is not 1: a benchmark, which bash bench/autoscaling.sh runs";

    /// <summary>CPU each request burns on the instance, in milliseconds.</summary>
    public const int BurnMs = 40;

    /// <summary>
    /// The pool's CPU target, percent of one core per instance. Lower than the AppHost's 80 so that 1.5× and 2× of it
    /// (0.6 and 0.8 of a core) stay within what a shared 2-core machine can give one instance.
    /// </summary>
    public const int CpuTarget = 40;

    public const int MaxInstances = 5;

    public static bool Enabled => Environment.GetEnvironmentVariable("STARGUIDE_BENCH") == "1";

    /// <summary>Requests per second that make one instance's demand <paramref name="cores"/> cores.</summary>
    public static double RateFor(double cores) => cores * 1000 / BurnMs;

    /// <summary>Requests per second that load one instance at <paramref name="factor"/> × the CPU target.</summary>
    public static double RateForTarget(double factor) => RateFor(factor * CpuTarget / 100);

    public static string Work(long n) => $"/api/work?burnMs={BurnMs}&n={n}";

    /// <summary>Min 1, max 5 (the seed's pool); autoscaling with the defaults apart from what <paramref name="autoscaling"/> sets.</summary>
    public static Dictionary<string, string> Autoscaled(params (string Key, string Value)[] autoscaling)
    {
        var settings = new Dictionary<string, string>
        {
            [$"Scaler:Pools:{HealingSystem.Pool}:MinInstances"] = "1",
            [$"Scaler:Pools:{HealingSystem.Pool}:MaxInstances"] = MaxInstances.ToString(CultureInfo.InvariantCulture),
            [$"Scaler:Pools:{HealingSystem.Pool}:Autoscaling:Enabled"] = "true",
            [$"Scaler:Pools:{HealingSystem.Pool}:Autoscaling:CpuPercent"] = CpuTarget.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in autoscaling)
        {
            settings[$"Scaler:Pools:{HealingSystem.Pool}:Autoscaling:{key}"] = value;
        }
        return settings;
    }

    /// <summary>Autoscaling off, the pool started at its maximum.</summary>
    public static Dictionary<string, string> FixedAtMax() => new()
    {
        [$"Scaler:Pools:{HealingSystem.Pool}:MinInstances"] = "1",
        [$"Scaler:Pools:{HealingSystem.Pool}:MaxInstances"] = MaxInstances.ToString(CultureInfo.InvariantCulture),
    };

    public static string Ms(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds:0} ms" : "n/a";

    public static string Seconds(TimeSpan? value) => value is { } v ? $"{v.TotalSeconds:0.0} s" : "never";

    public static string Latencies(IReadOnlyCollection<PacedRequest> requests) =>
        $"p50 {Ms(PacedLoad.Percentile(requests, 50))}, p99 {Ms(PacedLoad.Percentile(requests, 99))}, "
        + $"max {Ms(PacedLoad.Percentile(requests, 100))} ({requests.Count} requests)";

    public static string MeanCpu(PoolWatch watch, TimeSpan from, TimeSpan to)
    {
        var readings = watch.Cpu.Where(c => c.At >= from && c.At < to).Select(c => c.Percent).ToList();
        return readings.Count == 0 ? "n/a" : $"{readings.Average():0} %";
    }

    /// <summary>The machine's load average (1, 5, 15 min), to judge how disturbed a figure is.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
