using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.LoadBalancing;

/// <summary>nginx <c>backup</c>: standbys take traffic only while no primary is available.</summary>
public class BackupInstancesTests
{
    private static readonly TimeSpan FailTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Backup_gets_nothing_while_a_primary_is_up()
    {
        await using var primary = await ScriptedUpstream.StartAsync("primary");
        await using var backup = await ScriptedUpstream.StartAsync("backup");
        await using var gateway = new GatewayHost().WithInstance(primary).WithInstance(backup, backup: true);
        using var client = gateway.CreateClient();

        var results = await client.GetSequentiallyAsync(20);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "primary"), r));
        Assert.Equal(0, backup.Requests);
    }

    [Fact]
    public async Task Backup_takes_everything_while_the_primary_is_stopped_and_the_primary_takes_over_when_back()
    {
        await using var primary = await ScriptedUpstream.StartAsync("primary");
        await using var backup = await ScriptedUpstream.StartAsync("backup");
        await using var gateway = new GatewayHost()
            .WithInstance(primary).WithInstance(backup, backup: true)
            .With("Pools:backend:FailTimeout", FailTimeout.ToString());
        using var client = gateway.CreateClient();

        await primary.StopAsync();
        var whileDown = await client.GetSequentiallyAsync(20);

        // The first 3 go to the primary, fail, are retried on the backup, and eject the primary (MaxFails 3).
        Assert.All(whileDown, r => Assert.Equal((HttpStatusCode.OK, "backup"), r));
        Assert.Equal(20, backup.Requests);

        await primary.StartAgainAsync();
        gateway.Time.Advance(FailTimeout); // the ejection expires
        var afterwards = await client.GetSequentiallyAsync(20);

        Assert.All(afterwards, r => Assert.Equal((HttpStatusCode.OK, "primary"), r));
        Assert.Equal(20, backup.Requests);
    }

    [Fact]
    public async Task Backup_takes_over_while_the_health_monitor_reports_the_primary_unhealthy()
    {
        await using var primary = await ScriptedUpstream.StartAsync("primary");
        await using var backup = await ScriptedUpstream.StartAsync("backup");
        await using var gateway = new GatewayHost().WithInstance(primary).WithInstance(backup, backup: true);
        using var client = gateway.CreateClient();
        var verdicts = gateway.Services.GetRequiredService<InstanceHealthUpdater>();

        verdicts.Apply("backend", "primary", inRotation: false, "test: probe failed");
        var whileUnhealthy = await client.GetSequentiallyAsync(10);
        verdicts.Apply("backend", "primary", inRotation: true, "test: probe passed");
        var afterRecovery = await client.GetSequentiallyAsync(10);

        Assert.All(whileUnhealthy, r => Assert.Equal((HttpStatusCode.OK, "backup"), r));
        Assert.All(afterRecovery, r => Assert.Equal((HttpStatusCode.OK, "primary"), r));
    }

    [Fact]
    public async Task Primary_ejected_by_failures_returns_at_once_when_the_health_monitor_reports_it_recovered()
    {
        await using var primary = await ScriptedUpstream.StartAsync("primary");
        await using var backup = await ScriptedUpstream.StartAsync("backup");
        await using var gateway = new GatewayHost().WithInstance(primary).WithInstance(backup, backup: true);
        using var client = gateway.CreateClient();
        await primary.StopAsync();
        await client.GetSequentiallyAsync(5); // 3 failures eject the primary for FailTimeout (30 s, on a clock that stands still)
        await primary.StartAgainAsync();
        Assert.All(await client.GetSequentiallyAsync(5), r => Assert.Equal((HttpStatusCode.OK, "backup"), r));

        gateway.Services.GetRequiredService<InstanceHealthUpdater>()
            .Apply("backend", "primary", inRotation: true, "test: probe passed");
        var afterRecovery = await client.GetSequentiallyAsync(10);

        Assert.All(afterRecovery, r => Assert.Equal((HttpStatusCode.OK, "primary"), r));
    }
}
