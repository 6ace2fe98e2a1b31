using System.Net.Http.Json;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Scaler.Planning;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// The scaler applies its own scale requests before it publishes them, and its queue receives them back. After a broker
/// outage they come back late, all at once: "3" arriving after "5" was applied must not drain what "5" started.
/// </summary>
public sealed class ScaleRequestEchoTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    [SkippableFact]
    public async Task Its_own_requests_3_then_5_coming_back_after_a_broker_outage_change_nothing_and_a_tools_request_still_applies()
    {
        Skip.IfNot(infrastructure.RabbitMq.SupportsOutages,
            $"the broker comes from {infrastructure.RabbitMq.Source}; only a broker the tests started can be stopped and started");
        // Instances started during the outage get their first verdict only after it: no StartTimeout replacement meanwhile.
        await using var system = new HealingSystem(infrastructure, instances: 2,
            new Dictionary<string, string> { [$"Scaler:Pools:{HealingSystem.Pool}:StartTimeout"] = "00:03:00" });
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(60));

        await infrastructure.RabbitMq.StopAsync();
        var scaler = system.Scaler.Client;
        (await scaler.PostAsJsonAsync("/pools/backend/scale", new { desired = 3 })).EnsureSuccessStatusCode();
        (await scaler.PostAsJsonAsync("/pools/backend/scale", new { desired = 5 })).EnsureSuccessStatusCode();
        Scaler.Pools.PoolStatus? during = null;
        await Eventually.TrueAsync(async () => (during = await system.Scaler.PoolAsync(HealingSystem.Pool)) is { Desired: 5, Members.Count: 5 },
            TimeSpan.FromSeconds(60), () => $"the scaler did not start 3 instances without the broker: {HealingSystem.Describe(during)}");
        await infrastructure.RabbitMq.StartAgainAsync();

        // The outbox publishes both requests once the broker is back; the scaler's queue gets them in order.
        await Eventually.TrueAsync(() => system.Scaler.Output.Any(l => l.Contains("ScaleRequested 5 by operator", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(120), () => $"the echo of 5 never came back; scaler output:\n{system.Scaler.Tail()}");
        var healed = await system.WaitForReadyAsync(5, TimeSpan.FromSeconds(120));
        var echoes = system.Scaler.Output.Where(l => l.Contains("ScaleRequested", StringComparison.Ordinal)).ToList();
        output.WriteLine($"before: {HealingSystem.Describe(before)}\nduring the outage: {HealingSystem.Describe(during)}\n"
            + $"after: {HealingSystem.Describe(healed)}\n{string.Join('\n', echoes)}");

        Assert.Equal(during!.Members.Select(m => m.InstanceId).Order(), healed.Members.Select(m => m.InstanceId).Order());
        Assert.DoesNotContain(system.Scaler.Output, l => l.Contains("draining", StringComparison.Ordinal));
        Assert.DoesNotContain(system.Scaler.Output, l => l.Contains("desired 5 → 3", StringComparison.Ordinal));
        Assert.Equal(2, echoes.Count(l => l.Contains("not applied again", StringComparison.Ordinal)));

        // A request from anyone else (here a tool with the scaler's broker user, no scaler mark) is applied as before.
        await using (var tool = await TestBus.StartAsync(infrastructure.RabbitMq, ResourceNames.Scaler))
        {
            await tool.PublishScaleAsync(HealingSystem.Pool, 4, "tool");
        }
        Scaler.Pools.PoolStatus? after = null;
        await Eventually.TrueAsync(async () => (after = await system.Scaler.PoolAsync(HealingSystem.Pool)) is { Desired: 4 },
            TimeSpan.FromSeconds(30), () => $"the tool's request was not applied: {HealingSystem.Describe(after)}");
        Assert.Contains(after!.Members, m => m.State is MemberState.Draining or MemberState.Stopping);
    }
}
