using System.Net;
using System.Net.Sockets;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// The scaler's pools start once its bus is ready (<c>PoolControllers</c>): RabbitMQ delivers a health verdict only to
/// queues bound when it is published, so instances started before the scaler's queues exist can miss their first
/// "healthy" and stay "starting" until they are replaced (seen under the AppHost).
/// </summary>
public sealed class PoolStartTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task Pools_wait_for_the_bus_and_start_without_it_only_after_saying_so()
    {
        // A broker that accepts connections and never answers: the bus is not ready, and not known to be unreachable
        // either until the client gives up on the handshake (or the scaler's wait for the bus ends).
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var system = new HealingSystem(infrastructure, instances: 1,
            new Dictionary<string, string> { ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{port}/" });
        system.StartScalerAlone();

        const string Starting = $"Pool {HealingSystem.Pool}: starting {HealingSystem.Pool}-1";
        await Eventually.TrueAsync(() => Task.FromResult(system.Scaler.Output.Any(line => line.Contains(Starting, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(90), () => $"the pool never started its instance; scaler output:\n{system.Scaler.Tail()}\n");

        var lines = system.Scaler.Output.ToList();
        var warned = lines.FindIndex(line => line.Contains("Starting the pools before the message bus is ready", StringComparison.Ordinal));
        var started = lines.FindIndex(line => line.Contains(Starting, StringComparison.Ordinal));
        Assert.True(warned >= 0 && warned < started,
            $"the pool started its instance before the bus was ready without waiting for it; scaler output:\n{system.Scaler.Tail()}");
    }
}
