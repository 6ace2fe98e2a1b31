using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Testing;
using Xunit.Abstractions;
using static StarGuide.IntegrationTests.Benchmarks.AutoscalingBench;

namespace StarGuide.IntegrationTests.Benchmarks;

/// <summary>
/// Stability on the real system: for <see cref="Duration"/> a square wave with a 60 s period (30 s at
/// <see cref="HighCores"/> of CPU demand, 30 s at <see cref="LowCores"/>) through the gateway to a pool of 1-5 that
/// starts at 1; how often the desired size turns round, and how many requests fail. The same trace with this
/// autoscaler's defaults and with the seed's rule (80 % / 30 %, one step per check) at its 60 s check and at 10 s.
/// </summary>
[Collection(AutoscalingBench.Collection)]
public sealed class SquareWaveBenchmarks(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    /// <summary>Above the seed's 80 % on one instance (2.5× the proportional target), so that both rules see an overload.</summary>
    private const double HighCores = 1.0;

    /// <summary>Below the seed's 30 % on one instance.</summary>
    private const double LowCores = 0.1;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(5);

    [SkippableFact]
    public Task Square_wave_with_the_default_proportional_policy() =>
        SquareWaveAsync("proportional, 5 s check (defaults)", Autoscaled());

    [SkippableFact]
    public Task Square_wave_with_the_seeds_rule_every_60_s() =>
        SquareWaveAsync("seed's rule 80/30, 60 s check", Autoscaled(("Policy", "threshold"), ("CpuPercent", "0"),
            ("UpAbove", "80"), ("DownBelow", "30"), ("CheckInterval", "00:01:00")));

    [SkippableFact]
    public Task Square_wave_with_the_seeds_rule_every_10_s() =>
        SquareWaveAsync("seed's rule 80/30, 10 s check", Autoscaled(("Policy", "threshold"), ("CpuPercent", "0"),
            ("UpAbove", "80"), ("DownBelow", "30"), ("CheckInterval", "00:00:10")));

    private async Task SquareWaveAsync(string policy, Dictionary<string, string> settings)
    {
        Need.Benchmarks.Check(Enabled, Reason);
        output.WriteLine($"load average before the square wave ({policy}): {LoadAverage()}");
        await using var system = new HealingSystem(infrastructure, instances: 1, settings);
        await system.StartAsync();
        var first = (await system.WaitForReadyAsync(1, TimeSpan.FromSeconds(90))).Members[0].InstanceId;
        await system.WaitForGatewayToServeAsync([first], TimeSpan.FromSeconds(60));

        double Rate(TimeSpan t) => RateFor(t.Ticks % Period.Ticks < Period.Ticks / 2 ? HighCores : LowCores);
        var load = PacedLoad.Start(system.Client, Rate, Work);
        var watch = PoolWatch.Start(system.Scaler, HealingSystem.Pool, () => load.Elapsed);
        await Task.Delay(Duration);
        await load.StopAsync();
        var end = load.Elapsed;
        await watch.DisposeAsync();

        var desired = watch.Desired;
        var high = load.Completed.Where(r => r.Due.Ticks % Period.Ticks < Period.Ticks / 2).ToList();
        output.WriteLine($"{Figure} square wave {Period.TotalSeconds:0} s ({HighCores:0.0#}/{LowCores:0.0#} core, {RateFor(HighCores):0.#}/{RateFor(LowCores):0.#} req/s) "
            + $"for {Duration.TotalMinutes:0} min, {policy}: {PoolWatch.DirectionChanges(desired)} direction changes, "
            + $"{desired.Count - 1} changes of the desired size, mean desired {PoolWatch.MeanSize(desired, end):0.0}; "
            + $"{load.Completed.Count} requests, {load.Failures.Count} failed, {load.NotSent} not sent; "
            + $"high halves {Latencies(high)}");
        output.WriteLine($"{Figure} square wave, {policy}: desired {PoolWatch.Timeline(desired)}");
        output.WriteLine($"ready: {PoolWatch.Timeline(watch.Ready)}");
        output.WriteLine($"cpu per instance by 10 s: {string.Join(", ", Enumerable.Range(0, (int)(Duration.TotalSeconds / 10)).Select(i => MeanCpu(watch, TimeSpan.FromSeconds(i * 10), TimeSpan.FromSeconds((i + 1) * 10))))}");
        foreach (var line in system.Scaler.Output.Where(l => l.Contains(": scale ", StringComparison.Ordinal) || l.Contains("held back", StringComparison.Ordinal)))
        {
            output.WriteLine($"scaler: {line}");
        }
        foreach (var failure in load.Failures.Take(10))
        {
            output.WriteLine($"failed: {failure}");
        }
        output.WriteLine($"load average after the square wave ({policy}): {LoadAverage()}");
        Assert.Empty(load.Failures);
    }
}
