using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Testing;
using Xunit.Abstractions;
using static StarGuide.IntegrationTests.Benchmarks.AutoscalingBench;

namespace StarGuide.IntegrationTests.Benchmarks;

/// <summary>
/// Scale-up on the real system (scaler process, sample-backend processes, monitor and gateway, RabbitMQ, Redis), the
/// default 5 s check interval: sustained overload of one instance (open-loop, 40 ms CPU per request) until a new
/// instance serves a request through the gateway, with the latencies of the first <see cref="Window"/>; then the same
/// load on a pool fixed at its maximum (autoscaling off) for the same time.
/// </summary>
[Collection(AutoscalingBench.Collection)]
public sealed class ScaleUpBenchmarks(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public Task Sustained_overload_at_1_5x_the_cpu_target_until_a_new_instance_serves() => ScaleUpAsync(1.5);

    [SkippableFact]
    public Task Burst_at_2x_the_cpu_target_until_a_new_instance_serves() => ScaleUpAsync(2.0);

    private async Task ScaleUpAsync(double factor)
    {
        Need.Benchmarks.Check(Enabled, Reason);
        var rate = RateForTarget(factor);
        var label = $"{factor:0.0#}× ({rate:0.#} req/s × {BurnMs} ms = {rate * BurnMs / 1000:0.00} core; target {CpuTarget} % per instance)";
        output.WriteLine($"load average before {label}: {LoadAverage()}");

        IReadOnlyCollection<PacedRequest> scaling;
        await using (var system = new HealingSystem(infrastructure, instances: 1, Autoscaled()))
        {
            await system.StartAsync();
            var first = (await system.WaitForReadyAsync(1, TimeSpan.FromSeconds(90))).Members[0].InstanceId;
            await system.WaitForGatewayToServeAsync([first], TimeSpan.FromSeconds(60));

            var load = PacedLoad.Start(system.Client, _ => rate, Work);
            var watch = PoolWatch.Start(system.Scaler, HealingSystem.Pool, () => load.Elapsed);
            TimeSpan? served = null;
            while (load.Elapsed < GiveUp && (served is null || load.Elapsed < Window))
            {
                served = load.FirstAnswers.Where(a => a.Key != first).Select(a => (TimeSpan?)a.Value).Min();
                await Task.Delay(100);
            }
            await load.StopAsync();
            await watch.DisposeAsync();

            var decided = watch.Desired.Where(d => d.Size > 1).Select(d => (TimeSpan?)d.At).FirstOrDefault();
            var ready = watch.Ready.Where(r => r.Size > 1).Select(r => (TimeSpan?)r.At).FirstOrDefault();
            var decision = system.Scaler.Output.FirstOrDefault(l => l.Contains("scale 1 →", StringComparison.Ordinal)) ?? "(none)";
            scaling = [.. load.Completed.Where(r => r.Due < Window)];
            output.WriteLine($"{Figure} scale-up {label}: decided {Seconds(decided)}, new instance ready {Seconds(ready)}, "
                + $"first served through the gateway {Seconds(served)} after the overload began; "
                + $"cpu per instance before the decision {MeanCpu(watch, TimeSpan.Zero, decided ?? GiveUp)}; "
                + $"{load.Completed.Count} requests, {load.Failures.Count} failed, {load.NotSent} not sent");
            output.WriteLine($"{Figure} scale-up {factor:0.0#}× decision: {decision[(decision.IndexOf("Pool ", StringComparison.Ordinal) is >= 0 and var at ? at : 0)..]}");
            output.WriteLine($"desired: {PoolWatch.Timeline(watch.Desired)}; ready: {PoolWatch.Timeline(watch.Ready)}");
            foreach (var failure in load.Failures.Take(10))
            {
                output.WriteLine($"failed: {failure}");
            }
            Assert.Empty(load.Failures);
        }

        await using (var system = new HealingSystem(infrastructure, instances: MaxInstances, FixedAtMax()))
        {
            await system.StartAsync();
            var members = await system.WaitForReadyAsync(MaxInstances, TimeSpan.FromSeconds(120));
            await system.WaitForGatewayToServeAsync(members.Members.Select(m => m.InstanceId), TimeSpan.FromSeconds(60));
            var load = PacedLoad.Start(system.Client, _ => rate, Work);
            await Task.Delay(Window);
            await load.StopAsync();
            IReadOnlyCollection<PacedRequest> fixedAtMax = [.. load.Completed.Where(r => r.Due < Window)];
            output.WriteLine($"{Figure} latency {factor:0.0#}×, first {Window.TotalSeconds:0} s of load: autoscaled from 1: {Latencies(scaling)}; "
                + $"fixed at {MaxInstances}: {Latencies(fixedAtMax)}; {load.Failures.Count} failed at {MaxInstances}");
            Assert.Empty(load.Failures);
        }
        output.WriteLine($"load average after {factor:0.0#}×: {LoadAverage()}");
    }
}
