using System.Collections.Concurrent;
using System.Net.Http.Json;
using MassTransit;
using StackExchange.Redis;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// A scaler killed with SIGKILL and started again carries on from Redis and from what its driver finds running (real
/// processes, process driver): without its stored state, with a stored instance that died meanwhile, with an operator's
/// floor. (Redis intact and every instance alive: SelfHealingTests.)
/// </summary>
public sealed class ReadoptionTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task With_its_stored_state_lost_a_restarted_scaler_adopts_what_runs_from_the_driver_and_starts_nothing()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, Bound);

        await system.RestartScalerAsync(kill: true, whileDown: async () =>
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.Redis.ConnectionString);
            Assert.True(await redis.GetDatabase().KeyDeleteAsync($"{system.Scope}:scaler:pool:{HealingSystem.Pool}"), "there was no stored state to lose");
        });
        await system.WaitForReadyAsync(2, Bound);
        await Task.Delay(3000); // a few reconciliations: nothing new may start
        var after = await system.WaitForReadyAsync(2, Bound);

        output.WriteLine($"before: {HealingSystem.Describe(before)}; after: {HealingSystem.Describe(after)}");
        Assert.Equal(before.Members.Select(m => (m.InstanceId, m.Handle)).Order(), after.Members.Select(m => (m.InstanceId, m.Handle)).Order());
        Assert.Equal(2, system.CountRunningInstances());
        Assert.Contains(system.Scaler.Output, l => l.Contains("2 instance(s) carried on, 0 stored one(s) no longer running, desired 2 (from configuration)", StringComparison.Ordinal));
        Assert.DoesNotContain(system.Scaler.Output, l => l.Contains(": starting ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stored_instance_that_died_while_the_scaler_was_down_is_announced_stopped_never_as_a_member_and_replaced()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, Bound);
        var victim = before.Members[0];
        var stopped = new ConcurrentQueue<InstanceStopped>();
        var members = new ConcurrentQueue<PoolChanged>();
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(infrastructure.RabbitMq.AmqpUri);
            cfg.ReceiveEndpoint(e =>
            {
                e.Handler<InstanceStopped>(context =>
                {
                    if (context.Message.Address == victim.Address)
                    {
                        stopped.Enqueue(context.Message);
                    }
                    return Task.CompletedTask;
                });
                e.Handler<PoolChanged>(context =>
                {
                    if (context.Message.Members.Any(m => m.Address == victim.Address))
                    {
                        members.Enqueue(context.Message);
                    }
                    return Task.CompletedTask;
                });
            });
        });
        await observer.StartAsync();
        try
        {
            long lastVersionWithIt = 0;
            await system.RestartScalerAsync(kill: true, whileDown: async () =>
            {
                var pid = int.Parse(victim.Handle);
                Signals.Send(pid, Signals.Kill);
                await Eventually.TrueAsync(() => ProcessEnvironment.Read(pid) is null, TimeSpan.FromSeconds(10), $"{victim.InstanceId} (pid {pid}) did not die");
                // Snapshots the old scaler published before its end, still on their way to the observer, must not count.
                await Task.Delay(1000);
                lastVersionWithIt = members.Select(m => m.Version).DefaultIfEmpty().Max();
            });
            var healed = await system.WaitForReadyAsync(2, Bound, p => p.Members.All(m => m.InstanceId != victim.InstanceId));
            await Eventually.TrueAsync(() => !stopped.IsEmpty, TimeSpan.FromSeconds(30), $"no InstanceStopped for {victim.InstanceId}");

            output.WriteLine($"before: {HealingSystem.Describe(before)}; after: {HealingSystem.Describe(healed)}; "
                + string.Join("; ", stopped.Select(s => $"InstanceStopped {s.InstanceId} v{s.PoolVersion}: {s.Reason}")));
            var announced = Assert.Single(stopped);
            Assert.Equal(victim.InstanceId, announced.InstanceId);
            Assert.Equal("no longer running when the scaler started", announced.Reason);
            Assert.DoesNotContain(members, m => m.Version > lastVersionWithIt);
            Assert.Contains(system.Scaler.Output, l => l.Contains("1 instance(s) carried on, 1 stored one(s) no longer running, desired 2 (from Redis)", StringComparison.Ordinal));
            Assert.Equal(2, system.CountRunningInstances());
        }
        finally
        {
            await observer.StopAsync();
        }
    }

    [Fact]
    public async Task An_operators_floor_survives_a_scaler_restart()
    {
        await using var system = new HealingSystem(infrastructure, instances: 1);
        await system.StartAsync();
        await system.WaitForReadyAsync(1, Bound);
        (await system.Scaler.Client.PostAsJsonAsync("/pools/backend/scale", new { floor = 2 })).EnsureSuccessStatusCode();
        var before = await system.WaitForReadyAsync(2, Bound);

        await system.RestartScalerAsync(kill: true);
        var after = await system.WaitForReadyAsync(2, Bound);
        using var down = await system.Scaler.Client.PostAsJsonAsync("/pools/backend/scale", new { desired = 1 });
        down.EnsureSuccessStatusCode();
        var held = await system.Scaler.PoolAsync(HealingSystem.Pool);

        output.WriteLine($"before: {HealingSystem.Describe(before)}; after: {HealingSystem.Describe(after)}; asked 1: {HealingSystem.Describe(held)}");
        Assert.Equal(2, after.Floor);
        Assert.Equal(2, held!.Floor);
        Assert.Equal(2, held.Desired);
        Assert.Equal(before.Members.Select(m => m.InstanceId).Order(), held.Members.Select(m => m.InstanceId).Order());
    }
}
