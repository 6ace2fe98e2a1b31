using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway.Health;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.IntegrationTests.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// The scaler heals its pool with real processes, a real RabbitMQ and Redis, the health monitor's default probing and
/// the gateway in front, under bounded load: every idempotent request must succeed throughout.
/// </summary>
public sealed class SelfHealingTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    /// <summary>
    /// How long a pool may take to be back at size and serving. The issue's 30 s (goal 15 s) is a speed target, met in
    /// bench/failover.sh on a quiet machine (3.7 s); here the bound only has to catch a pool that does not heal, with room
    /// for a CI machine whose load average is 20-50, and the measured figure is printed.
    /// </summary>
    private static readonly TimeSpan HealBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kill_9_of_one_of_three_instances_under_load_loses_no_request_and_the_pool_is_back_at_three()
    {
        await using var system = new HealingSystem(infrastructure, instances: 3);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(3, StartBound);
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);

        var load = LoadRun.Start(system.Client);
        await Task.Delay(1000);
        var victim = before.Members[1];
        var killedAt = load.Elapsed;
        Signals.Send(int.Parse(victim.Handle), Signals.Kill);

        var healed = await system.WaitForReadyAsync(3, HealBound, p => p.Members.All(m => m.InstanceId != victim.InstanceId));
        var replacement = healed.Members.Single(m => before.Members.All(b => b.InstanceId != m.InstanceId));
        await system.WaitForGatewayToServeAsync([replacement.InstanceId], HealBound);
        await Task.Delay(500);
        await load.StopAsync();

        var lastToVictim = load.LastAnswerOf(victim.InstanceId) - killedAt;
        var replacementServing = load.FirstAnswerOf(replacement.InstanceId) - killedAt;
        output.WriteLine($"kill -9 of {victim.InstanceId}: last answer from it {lastToVictim?.TotalSeconds:0.00} s after the kill, "
            + $"replacement {replacement.InstanceId} serving after {replacementServing?.TotalSeconds:0.00} s; "
            + $"{load.Requests} requests, {load.Failures.Count} failed, slowest {load.Slowest.TotalMilliseconds:0} ms");
        Assert.Empty(load.Failures);
        Assert.NotNull(replacementServing);
        Assert.True(replacementServing < HealBound, $"the replacement served only after {replacementServing?.TotalSeconds:0.0} s");
        Assert.Contains(system.Scaler.Output, l => l.Contains($"replacing {victim.InstanceId} (exited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hung_instance_is_taken_out_of_rotation_then_replaced_and_no_request_fails()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2,
            new Dictionary<string, string> { [$"Scaler:Pools:{HealingSystem.Pool}:DrainTimeout"] = "00:00:03" });
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, StartBound);
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);
        var registry = system.Gateway.Services.GetRequiredService<InstanceHealthRegistry>();

        var load = LoadRun.Start(system.Client);
        await Task.Delay(500);
        var victim = before.Members[0];
        var stopwatch = Stopwatch.StartNew();
        Signals.Send(int.Parse(victim.Handle), 19); // SIGSTOP: the process stays, answers nothing

        await Eventually.TrueAsync(() => Task.FromResult(registry.IsUnhealthy(HealingSystem.Pool, victim.InstanceId)),
            // The issue's 6 s is measured in bench/failover.sh (4.0 s); printed below.
            TimeSpan.FromSeconds(15), "the gateway did not take the hung instance out of rotation");
        var ejected = stopwatch.Elapsed;
        var healed = await system.WaitForReadyAsync(2, HealBound, p => p.Members.All(m => m.InstanceId != victim.InstanceId));
        var replaced = stopwatch.Elapsed;
        await Task.Delay(500);
        await load.StopAsync();

        output.WriteLine($"SIGSTOP of {victim.InstanceId}: out of rotation after {ejected.TotalSeconds:0.00} s, pool back at 2 ready after "
            + $"{replaced.TotalSeconds:0.00} s ({HealingSystem.Describe(healed)}); {load.Requests} requests, {load.Failures.Count} failed, "
            + $"slowest {load.Slowest.TotalMilliseconds:0} ms");
        Assert.Empty(load.Failures);
        // The api route's timeout is 60 s: a request sent to the hung instance must not wait for it.
        Assert.True(load.Slowest < TimeSpan.FromSeconds(60), $"a request took {load.Slowest.TotalSeconds:0.0} s");
        Assert.False(File.Exists($"/proc/{victim.Handle}/environ") && ProcessEnvironment.Read(int.Parse(victim.Handle)) is not null,
            "the hung instance still runs");
    }

    /// <summary>
    /// The drain itself, seen through requests the gateway never sends twice: slow POSTs (a POST that reached an instance
    /// is not replayed), with the gateway's retries on. Without a drain (the instance killed at once, or stopped before
    /// the gateway heard it was leaving) a POST in flight on it fails (or, having no body, is sent again by .NET and then
    /// replayed elsewhere: the known gap in docs/gateway.md) and a request sent to it after it closed its port is retried
    /// elsewhere: GETs alone, which the gateway retries, stayed green with no drain at all. So: no request fails,
    /// the gateway retries none, and slow POSTs that were in flight on the leaving instance when it was asked to stop
    /// (SIGTERM after the drain delay) are answered by it.
    /// </summary>
    [Fact]
    public async Task Scaling_down_under_load_drains_the_instance_its_slow_posts_finish_on_it_and_nothing_is_failed_or_retried()
    {
        await using var system = new HealingSystem(infrastructure, instances: 3);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(3, StartBound);
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);
        using var retries = GatewayRetries.Watch(system.Gateway.Services);

        var load = LoadRun.Start(system.Client);
        // 6 s each, so that some are still in flight on the leaving instance at its SIGTERM: it comes 2 s (DrainDelay)
        // after InstanceDraining, which the gateway hears within a few hundred ms and then sends it nothing new.
        var slow = LoadRun.Start(system.Client, workers: 6, path: i => $"/api/ai/slow?delayMs=6000&n={i}", method: HttpMethod.Post,
            recordAnswers: true);
        await Task.Delay(1500);
        await using (var bus = await TestBus.StartAsync(infrastructure.RabbitMq, ResourceNames.Scaler))
        {
            await bus.PublishScaleAsync(HealingSystem.Pool, 2, "test");
        }
        var (gone, stopping) = await WaitForStopToBeginAsync(system, before, slow);

        var after = await system.WaitForReadyAsync(2, HealBound);
        await Task.Delay(6500);
        await load.StopAsync();
        await slow.StopAsync();

        var answeredAfterStop = slow.Answers.Where(a => a.Instance == gone && a.Answered > stopping).ToList();
        output.WriteLine($"scale-down 3 → 2 removed {gone}, asked to stop at {stopping.TotalSeconds:0.00} s; {load.Requests} fast GETs and "
            + $"{slow.Requests} slow POSTs, {load.Failures.Count + slow.Failures.Count} failed, {retries.Count} retried; slow POSTs "
            + $"answered by {gone} after it was asked to stop: {string.Join(", ", answeredAfterStop.Select(a => $"{a.Sent.TotalSeconds:0.0}→{a.Answered.TotalSeconds:0.0} s"))}");
        Assert.Equal(before.Members.Select(m => m.InstanceId).Where(id => id != gone).Order(), after.Members.Select(m => m.InstanceId).Order());
        Assert.Empty(load.Failures);
        Assert.Empty(slow.Failures);
        Assert.Equal(0, retries.Count);
        Assert.True(answeredAfterStop.Count > 0,
            $"no slow POST in flight on {gone} when it was asked to stop was answered by it (answers from it: "
            + $"{string.Join(", ", slow.Answers.Where(a => a.Instance == gone).Select(a => $"{a.Sent.TotalSeconds:0.0}→{a.Answered.TotalSeconds:0.0} s"))})");
        Assert.Contains(system.Scaler.Output, l => l.Contains($"draining {gone} (scaled down to 2)", StringComparison.Ordinal));
    }

    /// <summary>
    /// Polls the pool until one of <paramref name="before"/> is being stopped (state <c>Stopping</c>: the scaler sends its
    /// SIGTERM at that moment) or already gone, and returns it with when that was first seen, on <paramref name="clock"/>'s
    /// clock: an answer from it after that was in flight at its SIGTERM.
    /// </summary>
    private static async Task<(string InstanceId, TimeSpan Seen)> WaitForStopToBeginAsync(HealingSystem system, PoolStatus before, LoadRun clock)
    {
        PoolStatus? pool = null;
        string? leaving = null;
        await Eventually.TrueAsync(async () =>
        {
            pool = await system.Scaler.PoolAsync(HealingSystem.Pool);
            leaving = pool?.Members.FirstOrDefault(m => m.State == MemberState.Stopping)?.InstanceId
                ?? before.Members.FirstOrDefault(b => pool is not null && pool.Members.All(m => m.InstanceId != b.InstanceId))?.InstanceId;
            return leaving is not null;
        }, HealBound, () => $"no instance was being stopped (last: {HealingSystem.Describe(pool)})");
        Assert.Contains(before.Members, m => m.InstanceId == leaving);
        return (leaving!, clock.Elapsed);
    }

    [Fact]
    public async Task A_scaler_killed_and_restarted_adopts_the_same_instances_without_doubling_them_and_a_restarted_gateway_routes_to_them()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, StartBound);

        await system.RestartScalerAsync(kill: true);
        var after = await system.WaitForReadyAsync(2, StartBound);
        await Task.Delay(3000); // a few reconciliations: nothing new may start
        after = await system.WaitForReadyAsync(2, StartBound);

        Assert.Equal(before.Members.Select(m => (m.InstanceId, m.Handle)).Order(), after.Members.Select(m => (m.InstanceId, m.Handle)).Order());
        Assert.Equal(2, system.CountRunningInstances());

        await system.RestartGatewayAsync();
        // A new gateway process: it starts, connects to the broker and learns the pool from the next snapshot (every 5 s).
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);
    }

    [Fact]
    public async Task A_command_that_exits_at_once_is_restarted_with_growing_back_off_never_in_a_tight_loop()
    {
        await using var system = new HealingSystem(infrastructure, instances: 1, new Dictionary<string, string>
        {
            [$"Scaler:Pools:{HealingSystem.Pool}:Process:Command"] = "/bin/sh",
            [$"Scaler:Pools:{HealingSystem.Pool}:Process:Arguments:0"] = "-c",
            [$"Scaler:Pools:{HealingSystem.Pool}:Process:Arguments:1"] = "echo 'cannot open config'; exit 3",
        });
        await system.StartAsync();
        // From the first crash on (the scaler's own start-up is not part of the back-off).
        await Eventually.TrueAsync(() => system.Scaler.Output.Any(l => l.Contains("(back-off)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the command never crashed");
        var firstCrash = System.Diagnostics.Stopwatch.StartNew();
        List<double> Waits() => system.Scaler.Output.Where(l => l.Contains("(back-off)", StringComparison.Ordinal))
            .Select(l => double.Parse(
                System.Text.RegularExpressions.Regex.Match(l, @"next start in ([0-9.]+) s").Groups[1].Value,
                System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // Polled, not a fixed sleep (a loaded machine stretches every step): until a back-off of 4 s or more is announced.
        // Without back-off that never comes (the test fails on the deadline); with it, the waits 1 and 2 s lie between.
        await Eventually.TrueAsync(() => Waits() is { Count: > 0 } w && w[^1] >= 4, TimeSpan.FromSeconds(60),
            () => $"the back-off did not grow to 4 s: {string.Join(", ", Waits())}");
        var elapsed = firstCrash.Elapsed;
        var waits = Waits();
        output.WriteLine($"{string.Join(", ", waits)} s announced within {elapsed.TotalSeconds:F1} s of the first crash being seen");
        // Crashes, not hundreds: 1, 2 and 4 s (a slow start may add a line); they were waited for, not only announced:
        // 1 + 2 s between the first line and the 4 s one (less up to 1 s for when the first line was seen).
        Assert.InRange(waits.Count, 3, 4);
        Assert.Equal(waits.Order(), waits);
        Assert.True(elapsed >= TimeSpan.FromSeconds(2), $"the back-off was announced but not waited for: {elapsed.TotalSeconds:F1} s");
        Assert.Contains(system.Scaler.Output, l => l.Contains("exit code 3", StringComparison.Ordinal));
        Assert.Contains(system.Scaler.Output, l => l.Contains("cannot open config", StringComparison.Ordinal));
    }
}
