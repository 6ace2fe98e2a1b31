using Microsoft.Extensions.DependencyInjection;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Messaging;

/// <summary>
/// The control plane as it runs (the scaler as a process owning real instances, the monitor and the gateway), each
/// service with its own broker user: a verdict forged with another service's credentials changes nothing.
/// </summary>
public sealed class ForgedVerdictTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_InstanceUnhealthy_forged_by_the_backup_services_user_takes_nothing_out_of_rotation_and_replaces_nothing()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, StartBound);
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);
        var initial = PoolStatusView.Of(before)!;
        var victim = before.Members[0];
        var forged = new InstanceUnhealthy(victim.InstanceId, HealingSystem.Pool, victim.Address, "forged", 3, DateTimeOffset.UtcNow);

        // Published as what it is, the broker refuses it: the backup service's user may not write verdicts.
        var refusal = await RawPublish.TryAsync(infrastructure.RabbitMq, ResourceNames.BackupService, "StarGuide.Contracts:InstanceUnhealthy");
        Assert.Equal<ushort?>(403, refusal?.ReplyCode);

        // Sent through an exchange that user may write, BackupCompleted's, it reaches the scaler's queue (which consumes
        // backup reports and verdicts alike) and MassTransit would hand it to the verdict consumer: the broker cannot
        // stop this; the scaler's user_id check does.
        await using (var backup = await PublisherBus.StartAsync(infrastructure.RabbitMq, ResourceNames.BackupService))
        {
            await backup.Send(new Uri("exchange:StarGuide.Contracts:BackupCompleted"), forged);
        }
        await Eventually.TrueAsync(async () =>
            system.Scaler.Output.Any(l => l.Contains("Refused InstanceUnhealthy from broker user backup-service (publisher)", StringComparison.Ordinal))
            || PoolStatusView.Of(await system.Scaler.PoolAsync(HealingSystem.Pool)) != initial, StartBound, () => $"the scaler neither refused the forged verdict nor acted on it; scaler output:\n{system.Scaler.Tail()}");

        // A moment for a verdict that got through to show (the scaler marks the member at once, then replaces it).
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await system.Scaler.PoolAsync(HealingSystem.Pool);
        Assert.Equal(initial, PoolStatusView.Of(after));
        Assert.False(system.Gateway.Services.GetRequiredService<InstanceHealthRegistry>().IsUnhealthy(HealingSystem.Pool, victim.InstanceId),
            "the gateway took the instance out of rotation");
        await system.WaitForGatewayToServeAsync([victim.InstanceId], TimeSpan.FromSeconds(30));
    }

    /// <summary>A pool's members and their states, comparable.</summary>
    private sealed record PoolStatusView(string Members)
    {
        public static PoolStatusView? Of(StarGuide.Scaler.Pools.PoolStatus? pool) => pool is null ? null
            : new(string.Join(", ", pool.Members.OrderBy(m => m.InstanceId, StringComparer.Ordinal).Select(m => $"{m.InstanceId} {m.State}")));
    }
}
