using StarGuide.Contracts;
using StarGuide.HealthMonitor.Probing;
using StarGuide.HealthMonitor.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.HealthMonitor.Tests.Probing;

/// <summary>
/// RabbitMQ is down while an instance fails and comes back: both verdicts the monitor reached meanwhile are published
/// once the broker is back, in order, stamped with when they were reached. The monitor used to publish only the verdict
/// that still held, so an instance that was unhealthy during an outage and healthy again before its end left no trace.
/// Read off a durable queue of the test's own, bound before the outage.
/// </summary>
/// <remarks>A broker of its own: stopping it must not take away the broker of other tests.</remarks>
public sealed class VerdictsAcrossBrokerOutageTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Verdicts_reached_while_the_broker_is_down_are_all_published_when_it_is_back_in_order()
    {
        Skip.IfNot(broker.Server.SupportsOutages,
            $"the broker comes from {broker.Server.Source}; only a broker the tests started can be stopped and started");
        await using var upstream = await TestUpstream.StartAsync("a");
        await using var verdicts = await DurableEventQueue.CreateAsync(broker.Server.AmqpUri, typeof(InstanceUnhealthy), typeof(InstanceRecovered));
        await using var monitor = await MonitorHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.HealthMonitor),
            ["Pools:backend:Instances:0:Id"] = "a",
            ["Pools:backend:Instances:0:Address"] = upstream.Address.ToString(),
            ["Probing:Interval"] = "00:00:00.500",
            ["Probing:Timeout"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
        }, Patience);
        var tracker = Assert.Single(monitor.Membership.Trackers);
        await verdicts.WaitForAsync(e => e.Count >= 1, Patience, "the instance was not announced healthy");

        var outageStarted = DateTimeOffset.UtcNow;
        await broker.Server.StopAsync();
        await upstream.StopAsync();
        await Eventually.TrueAsync(() => tracker.Verdict == HealthVerdict.Unhealthy, Patience, "the stopped instance was not found unhealthy");
        await upstream.StartAgainAsync();
        await Eventually.TrueAsync(() => tracker.Verdict == HealthVerdict.Healthy, Patience, "the instance was not found healthy again");
        var outageEnded = DateTimeOffset.UtcNow;
        await broker.Server.StartAgainAsync();

        var received = await verdicts.WaitForAsync(e => e.Count >= 3, Patience,
            "the verdicts reached during the outage did not all arrive", () => monitor.Log.Tail());
        Assert.Equal([nameof(InstanceRecovered), nameof(InstanceUnhealthy), nameof(InstanceRecovered)], received.Select(e => e.Type));
        Assert.All(received, e => Assert.Equal("a", e.Text("instanceId")));
        var unhealthyAt = received[1].Time("detectedAt")!.Value;
        var recoveredAt = received[2].Time("detectedAt")!.Value;
        Assert.InRange(unhealthyAt, outageStarted, outageEnded);
        Assert.InRange(recoveredAt, unhealthyAt, outageEnded);
    }
}
