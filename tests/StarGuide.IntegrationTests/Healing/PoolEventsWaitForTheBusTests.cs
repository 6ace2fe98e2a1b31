using System.Net;
using System.Net.Sockets;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// The scaler publishes its pool events only once its own queues are bound (<c>EventOutbox</c>): an
/// <c>InstanceStarted</c> makes the monitor announce a verdict once, and RabbitMQ delivers it only to the queues bound
/// by then. Under the AppHost, with RabbitMQ starting after the services, the first instances missed theirs and stayed
/// "starting" until they were replaced.
/// </summary>
public sealed class PoolEventsWaitForTheBusTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task An_instance_starts_at_once_and_its_events_wait_until_the_bus_is_ready()
    {
        // A broker that accepts connections and never answers: the bus never becomes ready.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var system = new HealingSystem(infrastructure, instances: 1,
            new Dictionary<string, string> { ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{port}/" });
        system.StartScalerAlone();

        // The pool's first events (its snapshot, then InstanceStarted) wait in the outbox, which says so once, while
        // the instance itself starts at once.
        const string Held = "yet: the bus is not ready";
        const string Starting = $"Pool {HealingSystem.Pool}: starting {HealingSystem.Pool}-1";
        await Eventually.TrueAsync(() => Task.FromResult(system.Scaler.Output.Any(line => line.Contains(Starting, StringComparison.Ordinal))
                && system.Scaler.Output.Any(line => line.Contains(Held, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), () => $"the pool did not start its instance at once, or did not hold its events for the bus; scaler output:\n{system.Scaler.Tail()}\n");

        Assert.DoesNotContain(system.Scaler.Output, line => line.Contains("Published ", StringComparison.Ordinal));
    }
}
