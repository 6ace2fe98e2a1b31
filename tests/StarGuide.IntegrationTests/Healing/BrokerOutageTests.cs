using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Planning;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// RabbitMQ goes down in the middle of a failover and comes back: the instance's exit, its replacement's start, the
/// monitor's verdict and the pool snapshots produced meanwhile all arrive afterwards, and requests never fail.
/// </summary>
public sealed class BrokerOutageTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    [SkippableFact]
    public async Task A_broker_restart_during_a_failover_loses_no_verdict_or_pool_change()
    {
        Skip.IfNot(infrastructure.RabbitMq.SupportsOutages,
            $"the broker comes from {infrastructure.RabbitMq.Source}; only a broker the tests started can be stopped and started");
        // A start timeout longer than any outage here (a broker restart takes ~30 s on a loaded machine): the replacement
        // started during the outage must become ready from the verdict that arrives after it, not be replaced again.
        await using var system = new HealingSystem(infrastructure, instances: 2,
            new Dictionary<string, string> { [$"Scaler:Pools:{HealingSystem.Pool}:StartTimeout"] = "00:03:00" });
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(60));
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), TimeSpan.FromSeconds(60));

        var load = LoadRun.Start(system.Client);
        var victim = before.Members[0];
        await infrastructure.RabbitMq.StopAsync();
        Signals.Send(int.Parse(victim.Handle), Signals.Kill);
        // The scaler notices the exit and starts a replacement without the broker, but nothing can be published: the
        // gateway still has the dead instance (passive health and retries cover it) and the monitor does not know the
        // replacement, which therefore cannot be seen healthy yet.
        Scaler.Pools.PoolStatus? during = null;
        await Eventually.TrueAsync(async () => (during = await system.Scaler.PoolAsync(HealingSystem.Pool)) is { } pool
                && pool.Members.All(m => m.InstanceId != victim.InstanceId)
                && pool.Members.Any(m => m.State == MemberState.Starting && before.Members.All(b => b.InstanceId != m.InstanceId)),
            TimeSpan.FromSeconds(60), () => $"no replacement started while the broker was down: {HealingSystem.Describe(during)}");
        await infrastructure.RabbitMq.StartAgainAsync();

        var healed = await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(120), p => p.Members.All(m => m.InstanceId != victim.InstanceId));
        var replacement = healed.Members.Single(m => before.Members.All(b => b.InstanceId != m.InstanceId));
        await system.WaitForGatewayToServeAsync([replacement.InstanceId], TimeSpan.FromSeconds(30));
        await load.StopAsync();

        output.WriteLine($"during the outage: {HealingSystem.Describe(during)}; after: {HealingSystem.Describe(healed)}; "
            + $"{load.Requests} requests, {load.Failures.Count} failed");
        Assert.Contains(during!.Members, m => m.InstanceId == replacement.InstanceId && m.State == MemberState.Starting);
        Assert.DoesNotContain(during.Members, m => m.InstanceId == victim.InstanceId);
        Assert.Empty(load.Failures);
        Assert.Contains(system.Scaler.Output, l => l.Contains("Could not publish", StringComparison.Ordinal));
    }
}
