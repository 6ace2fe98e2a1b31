using System.Collections.Concurrent;
using MassTransit;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// The scaler publishes its pool events only once its own queues are bound (<c>EventOutbox</c>): an
/// <c>InstanceStarted</c> makes the monitor announce a verdict once, and RabbitMQ delivers it only to the queues bound
/// by then. Under the AppHost, with RabbitMQ starting after the services, the first instances missed theirs and stayed
/// "starting" until they were replaced. The events wait, and are not lost: they flow once the bus is ready.
/// </summary>
public sealed class PoolEventsWaitForTheBusTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task An_instance_starts_at_once_its_events_wait_until_the_bus_is_ready_and_then_flow()
    {
        // The scaler's broker is silent (accepts connections, never answers) until the test opens it: the bus cannot
        // become ready before.
        await using var broker = new GatedBroker(infrastructure.RabbitMq.AmqpUri);
        var seen = new ConcurrentQueue<object>();
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(infrastructure.RabbitMq.AmqpUri);
            cfg.ReceiveEndpoint(e =>
            {
                e.Handler<PoolChanged>(context => Record(seen, context.Message));
                e.Handler<InstanceStarted>(context => Record(seen, context.Message));
            });
        });
        await observer.StartAsync();
        try
        {
            await using var system = new HealingSystem(infrastructure, instances: 1, new Dictionary<string, string>
            {
                ["ConnectionStrings:rabbitmq"] = broker.Through(infrastructure.RabbitMq.ConnectionStringFor(ResourceNames.Scaler)),
            });
            system.StartScalerAlone();

            // The pool's first events (its snapshot, then InstanceStarted) wait in the outbox, which says so once (only
            // the outbox's own check of the bus says this; a publish that waited for the connection would time out
            // and say "Could not publish"), while the instance itself starts at once.
            const string Held = "yet: the bus is not ready";
            const string Starting = $"Pool {HealingSystem.Pool}: starting {HealingSystem.Pool}-1";
            await Eventually.TrueAsync(() => Task.FromResult(system.Scaler.Output.Any(line => line.Contains(Starting, StringComparison.Ordinal))
                    && system.Scaler.Output.Any(line => line.Contains(Held, StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60), () => $"the pool did not start its instance at once, or did not hold its events for the bus; scaler output:\n{system.Scaler.Tail()}\n");
            Uri? address = null;
            await Eventually.TrueAsync(async () => (address = (await system.Scaler.PoolAsync(HealingSystem.Pool))?.Members.SingleOrDefault()?.Address) is not null,
                TimeSpan.FromSeconds(30), () => $"GET /pools did not show the instance; scaler output:\n{system.Scaler.Tail()}\n");
            Assert.True(broker.Held > 0, "the scaler never tried its broker");
            Assert.DoesNotContain(seen, e => Names(e, address!));

            broker.Open();

            // Other tests run pools named backend on the same broker: this one's instance is known by its address.
            await Eventually.TrueAsync(() => seen.OfType<InstanceStarted>().Any(s => s.Address == address)
                    && seen.OfType<PoolChanged>().Any(p => p.Members.Any(m => m.Address == address)),
                TimeSpan.FromSeconds(90), () => $"the held events did not reach the broker once it answered (seen naming the instance: "
                    + $"{seen.OfType<InstanceStarted>().Count(e => Names(e, address!))} InstanceStarted, {seen.OfType<PoolChanged>().Count(e => Names(e, address!))} PoolChanged); "
                    + $"scaler output:\n{system.Scaler.Tail()}\n");
            var started = seen.OfType<InstanceStarted>().First(s => s.Address == address);
            Assert.Equal($"{HealingSystem.Pool}-1", started.InstanceId);
        }
        finally
        {
            await observer.StopAsync();
        }
    }

    private static Task Record(ConcurrentQueue<object> seen, object message)
    {
        seen.Enqueue(message);
        return Task.CompletedTask;
    }

    private static bool Names(object message, Uri address) => message switch
    {
        InstanceStarted started => started.Address == address,
        PoolChanged changed => changed.Members.Any(m => m.Address == address),
        _ => false,
    };
}
