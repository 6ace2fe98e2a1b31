using System.Globalization;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Messaging.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Messaging;

/// <summary>
/// A bus without a single point of failure (issue 18): a three-node RabbitMQ cluster, a service configured with the
/// node list (<c>MessageBus:Nodes</c>, so quorum queues), 10 000 events published through its outbox, and the node it is
/// connected to (which also leads its queue) killed with SIGKILL part-way. Every event must be consumed (by event id,
/// once applied), the service must reconnect to another node by itself, and the figures are printed: reconnection time,
/// deliveries against events processed (duplicates are allowed, the consumer being idempotent; losses are not).
/// </summary>
public sealed class BrokerClusterTests(ITestOutputHelper output)
{
    private const int Events = 10_000;
    private const int KillAfter = 3_000;
    private static readonly TimeSpan Reconnection = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Killing_the_node_a_service_uses_while_10000_events_are_published_loses_none()
    {
        Need.OwnServers.Check(RabbitMqCluster.CanStart,
            "a local RabbitMQ cluster needs the Debian package's rabbitmq-server and epmd: apt-get install -y rabbitmq-server");
        var time = TimeProvider.System;
        await using var cluster = await RabbitMqCluster.StartAsync(nodeCount: 3);
        await using var service = await ClusterService.StartAsync(
            cluster.ConnectionStringFor(ResourceNames.Scaler),
            new Dictionary<string, string?> { ["MessageBus:Nodes"] = cluster.NodesSetting });
        await Eventually.TrueAsync(() => service.Bus.CheckHealth().Status == MassTransit.BusHealthStatus.Healthy,
            TimeSpan.FromSeconds(60), () => $"the service's bus never became healthy on the cluster\n{cluster.Tail()}");
        await using var watch = new BusHealthWatch(service.Bus, time);

        var started = time.GetTimestamp();
        for (var i = 0; i < Events; i++)
        {
            service.Outbox.Enqueue(new ScaleRequested(Guid.NewGuid(), "cluster", i, "one of 10 000", "test", DateTimeOffset.UtcNow));
        }
        await Eventually.TrueAsync(() => service.Ledger.Processed >= KillAfter, TimeSpan.FromSeconds(120),
            () => $"only {service.Ledger.Processed} of the first {KillAfter} events consumed before the kill");
        var processedAtKill = service.Ledger.Processed;
        var waitingAtKill = service.Outbox.Waiting;
        var killedAt = time.GetTimestamp();
        await cluster.KillAsync(0);

        await Eventually.TrueAsync(() => service.Outbox.Waiting == 0 && service.Ledger.Processed >= Events, TimeSpan.FromSeconds(180),
            () => $"after the kill of node 0: {service.Ledger.Processed} of {Events} events consumed, {service.Outbox.Waiting} still to publish, "
                + $"bus {service.Bus.CheckHealth().Description}\n{cluster.Tail()}");
        var finished = time.GetTimestamp();
        // Duplicates of the last events may still be on their way; they are counted, not waited for long.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var outage = watch.Outages.FirstOrDefault(o => o.Down >= killedAt);
        var reconnected = outage.Up is { } up ? time.GetElapsedTime(killedAt, up) : (TimeSpan?)null;
        var ledger = service.Ledger;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FIGURE cluster kill: {Events} events, node 0 killed after {processedAtKill} consumed ({waitingAtKill} not yet confirmed); "
            + $"bus unhealthy {(outage.Down == 0 ? "never" : $"{time.GetElapsedTime(killedAt, outage.Down).TotalSeconds:0.00} s after the kill")}, "
            + $"healthy again {(reconnected is { } r ? $"{r.TotalSeconds:0.00} s after the kill" : "never")}; "
            + $"all consumed {time.GetElapsedTime(started, finished).TotalSeconds:0.0} s after the first publish; "
            + $"deliveries {ledger.Deliveries}, distinct messages {ledger.DistinctMessages}, events processed {ledger.Processed}, "
            + $"duplicates delivered {ledger.Deliveries - ledger.Processed}"));

        Assert.Equal(Events, ledger.Processed);
        Assert.True(outage.Down != 0, "the bus never noticed that its node was killed: was it connected to another node?");
        Assert.True(reconnected is { } took && took < Reconnection,
            $"the service did not reconnect to another node within {Reconnection.TotalSeconds:0} s (took {reconnected?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "forever"})");
    }
}
