using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Messaging.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.Benchmarks;

/// <summary>
/// What quorum queues cost (docs/messaging-ha.md): on one three-node cluster, the same service publishes
/// <see cref="Events"/> events to its own queue, first with classic queues then with quorum queues, side by side: through
/// its outbox (one event at a time, each confirmed before the next: how the services publish) and with
/// <see cref="InFlight"/> publishes in flight (the broker's throughput). Prints <c>[bench]</c> lines; asserts nothing.
/// Run: <c>STARGUIDE_BENCH=1 dotnet test tests/StarGuide.IntegrationTests --filter FullyQualifiedName~QuorumQueueBench --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class QuorumQueueBench(ITestOutputHelper output)
{
    private const int Events = 3_000;
    private const int InFlight = 64;

    [SkippableFact]
    public async Task Publish_throughput_classic_against_quorum_queues()
    {
        Need.Benchmarks.Check(AutoscalingBench.Enabled, AutoscalingBench.Reason);
        Need.OwnServers.Check(RabbitMqCluster.CanStart, "a local RabbitMQ cluster needs the Debian package's rabbitmq-server: apt-get install -y rabbitmq-server");
        await using var cluster = await RabbitMqCluster.StartAsync(nodeCount: 3);
        foreach (var quorum in new[] { false, true })
        {
            await DeleteQueueAsync(cluster.NodeUris[0]);
            await using var service = await ClusterService.StartAsync(cluster.ConnectionStringFor(ResourceNames.Scaler), new Dictionary<string, string?>
            {
                ["MessageBus:Nodes"] = cluster.NodesSetting,
                ["MessageBus:QuorumQueues"] = quorum ? "true" : "false",
            });
            await Eventually.TrueAsync(() => service.Bus.CheckHealth().Status == MassTransit.BusHealthStatus.Healthy, TimeSpan.FromSeconds(60), "the bus never became healthy");
            var kind = quorum ? "quorum" : "classic";

            var outbox = Stopwatch.StartNew();
            for (var i = 0; i < Events; i++)
            {
                service.Outbox.Enqueue(Request(i));
            }
            await Eventually.TrueAsync(() => service.Outbox.Waiting == 0, TimeSpan.FromMinutes(5), "the outbox did not empty");
            var confirmed = outbox.Elapsed;
            await Eventually.TrueAsync(() => service.Ledger.Processed >= Events, TimeSpan.FromMinutes(5), "not every event was consumed");
            var consumed = outbox.Elapsed;

            var parallel = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(InFlight);
            var publishes = Enumerable.Range(0, Events).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await service.Bus.Publish(Request(i));
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(publishes);
            var parallelConfirmed = parallel.Elapsed;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{AutoscalingBench.Figure} {kind} queues, 3-node cluster: outbox (1 in flight) {Events / confirmed.TotalSeconds:0} events/s confirmed "
                + $"({confirmed.TotalMilliseconds / Events:0.00} ms each), all consumed after {consumed.TotalSeconds:0.0} s; "
                + $"{InFlight} in flight {Events / parallelConfirmed.TotalSeconds:0} events/s confirmed"));
        }
    }

    private static ScaleRequested Request(int i) =>
        new(Guid.NewGuid(), "bench", i, "throughput", "bench", DateTimeOffset.UtcNow);

    /// <summary>A queue's type is fixed when it is declared: the classic run's queue goes before the quorum run declares its own.</summary>
    private static async Task DeleteQueueAsync(Uri administrator)
    {
        var factory = new ConnectionFactory { Uri = administrator };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(ResourceNames.Scaler);
    }
}
