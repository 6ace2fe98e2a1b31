using Microsoft.Extensions.DependencyInjection;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Membership;
using StarGuide.HealthMonitor.Probing;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Planning;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// RabbitMQ goes down in the middle of a failover and comes back: the instance's exit, its replacement's start and the
/// monitor's verdict produced meanwhile are all published afterwards, in order, and requests never fail. The scaler's
/// periodic snapshots are off (30 min) here: they republish the whole pool every few seconds and would repair the
/// gateway's and the monitor's view even if the outbox had lost the events, so the events themselves are read off a
/// durable queue of the test's own, bound before the outage.
/// </summary>
public sealed class BrokerOutageTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    [SkippableFact]
    public async Task A_broker_restart_during_a_failover_loses_no_verdict_or_pool_change()
    {
        Need.OwnServers.Check(infrastructure.RabbitMq.SupportsOutages,
            $"the broker comes from {infrastructure.RabbitMq.Source}; only a broker the tests started can be stopped and started");
        // A start timeout longer than any outage here (a broker restart takes ~30 s on a loaded machine): the replacement
        // started during the outage must become ready from the verdict that arrives after it, not be replaced again.
        await using var system = new HealingSystem(infrastructure, instances: 2, new Dictionary<string, string>
        {
            [$"Scaler:Pools:{HealingSystem.Pool}:StartTimeout"] = "00:03:00",
            ["Scaler:SnapshotInterval"] = "00:30:00",
        });
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(60));
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), TimeSpan.FromSeconds(60));
        await using var events = await DurableEventQueue.CreateAsync(infrastructure.RabbitMq.AmqpUri,
            typeof(InstanceStarted), typeof(InstanceDraining), typeof(InstanceStopped), typeof(PoolChanged),
            typeof(InstanceUnhealthy), typeof(InstanceRecovered));
        var monitored = system.Monitor.Services.GetRequiredService<PoolMembership>();

        var load = LoadRun.Start(system.Client);
        var victim = before.Members[0];
        var outageStarted = DateTimeOffset.UtcNow;
        await infrastructure.RabbitMq.StopAsync();
        Signals.Send(int.Parse(victim.Handle), Signals.Kill);
        // The scaler notices the exit and starts a replacement without the broker, but nothing can be published: the
        // gateway still has the dead instance (passive health and retries cover it) and the monitor does not know the
        // replacement, which therefore cannot be seen healthy yet. The monitor still probes the dead instance and
        // reaches its verdict, which cannot be published either.
        Scaler.Pools.PoolStatus? during = null;
        await Eventually.TrueAsync(async () => (during = await system.Scaler.PoolAsync(HealingSystem.Pool)) is { } pool
                && pool.Members.All(m => m.InstanceId != victim.InstanceId)
                && pool.Members.Any(m => m.State == MemberState.Starting && before.Members.All(b => b.InstanceId != m.InstanceId)),
            TimeSpan.FromSeconds(60), () => $"no replacement started while the broker was down: {HealingSystem.Describe(during)}");
        await Eventually.TrueAsync(() => monitored.Trackers.Any(t => t.InstanceId == victim.InstanceId && t.Verdict == HealthVerdict.Unhealthy),
            TimeSpan.FromSeconds(60), $"the monitor did not find {victim.InstanceId} unhealthy while the broker was down");
        var outageEnded = DateTimeOffset.UtcNow;
        await infrastructure.RabbitMq.StartAgainAsync();

        // First what was published once the broker was back: the events themselves, not a view they would repair.
        var replacement = during!.Members.Single(m => before.Members.All(b => b.InstanceId != m.InstanceId)).InstanceId;
        var received = await events.WaitForAsync(
            e => e.Any(Is(nameof(InstanceStopped), victim.InstanceId)) && e.Any(Is(nameof(InstanceStarted), replacement))
                && e.Any(Is(nameof(InstanceUnhealthy), victim.InstanceId)),
            TimeSpan.FromSeconds(90), "the events produced during the outage did not all arrive", () => system.Scaler.Tail());
        var poolEvents = received.Where(e => e.Type is nameof(InstanceStarted) or nameof(InstanceDraining) or nameof(InstanceStopped)
            or nameof(PoolChanged) && e.Text("pool") == HealingSystem.Pool).ToList();
        output.WriteLine($"events after the outage: {string.Join(", ", received.Select(e => e.Describe()))}");
        // The scaler's arrive in the order of their pool versions, the exit before the replacement's start.
        var versions = poolEvents.Select(e => e.Number("poolVersion") ?? e.Number("version")!.Value).ToList();
        Assert.True(versions.SequenceEqual(versions.Order()), $"pool events out of version order: {string.Join(", ", poolEvents.Select(e => e.Describe()))}");
        var stopped = poolEvents.FindIndex(e => Is(nameof(InstanceStopped), victim.InstanceId)(e));
        var started = poolEvents.FindIndex(e => Is(nameof(InstanceStarted), replacement)(e));
        Assert.True(stopped < started && versions[stopped] < versions[started],
            $"InstanceStopped({victim.InstanceId}) did not come before InstanceStarted({replacement}): "
            + string.Join(", ", poolEvents.Select(e => e.Describe())));
        // The monitor's verdict was reached while the broker was down, and published once it was back.
        var verdict = received.First(Is(nameof(InstanceUnhealthy), victim.InstanceId));
        Assert.InRange(verdict.Time("detectedAt")!.Value, outageStarted, outageEnded);

        var healed = await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(120), p => p.Members.All(m => m.InstanceId != victim.InstanceId));
        Assert.Contains(healed.Members, m => m.InstanceId == replacement);
        await system.WaitForGatewayToServeAsync([replacement], TimeSpan.FromSeconds(30));
        await load.StopAsync();

        output.WriteLine($"during the outage: {HealingSystem.Describe(during)}; after: {HealingSystem.Describe(healed)}; "
            + $"{load.Requests} requests, {load.Failures.Count} failed");
        Assert.DoesNotContain(during.Members, m => m.InstanceId == victim.InstanceId);
        Assert.Empty(load.Failures);
        Assert.Contains(system.Scaler.Output, l => l.Contains("Could not publish", StringComparison.Ordinal));
    }

    private static Func<ReceivedEvent, bool> Is(string type, string instanceId) =>
        e => e.Type == type && e.Text("instanceId") == instanceId;
}
