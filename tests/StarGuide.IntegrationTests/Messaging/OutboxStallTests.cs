using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Messaging.Support;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Messaging;

/// <summary>
/// A publisher that gets nothing confirmed while its bus reports healthy (the known issue of docs/messaging-ha.md) is
/// restarted by the outbox after <c>EventOutbox:StallAfter</c>, and the events that waited meanwhile are all delivered
/// afterwards, none lost: on a real RabbitMQ, the stall forced by a publish observer that holds every publish until the
/// bus restarts.
/// </summary>
public sealed class OutboxStallTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    private const int Events = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_publisher_that_gets_nothing_confirmed_is_restarted_and_every_waiting_event_is_delivered()
    {
        await using var service = await ClusterService.StartAsync(broker.Server.ConnectionStringFor(ResourceNames.Scaler),
            new Dictionary<string, string?> { ["EventOutbox:StallAfter"] = "00:00:10" });
        await Eventually.TrueAsync(() => service.Bus.CheckHealth().Status == BusHealthStatus.Healthy, Patience,
            "the service's bus never became healthy");
        var first = Request(0);
        service.Outbox.Enqueue(first);
        await Eventually.TrueAsync(() => service.Ledger.Saw(first.RequestId), Patience, "the first event was not delivered");

        var stuck = new StuckPublisher(service.Outbox);
        stuck.StickUntilRestart();
        using var observer = service.Bus.ConnectPublishObserver(stuck);
        var waiting = Enumerable.Range(1, Events).Select(Request).ToList();
        waiting.ForEach(service.Outbox.Enqueue);

        await Eventually.TrueAsync(() => service.Outbox.BusRestarts >= 1, Patience,
            () => $"the outbox did not restart the bus ({service.Outbox.Waiting} event(s) waiting, bus {service.Bus.CheckHealth().Description})");
        await Eventually.TrueAsync(() => service.Outbox.Waiting == 0 && waiting.All(e => service.Ledger.Saw(e.RequestId)), Patience,
            () => $"after the restart {waiting.Count(e => service.Ledger.Saw(e.RequestId))} of {Events} waiting events delivered, "
                + $"{service.Outbox.Waiting} still to publish, bus {service.Bus.CheckHealth().Description}");
        Assert.Equal(1, service.Outbox.BusRestarts);

        // The restarted bus consumes too, not only publishes.
        var after = Request(Events + 1);
        service.Outbox.Enqueue(after);
        await Eventually.TrueAsync(() => service.Ledger.Saw(after.RequestId), Patience, "an event after the restart was not delivered");
    }

    [Fact]
    public async Task A_publisher_that_restarts_do_not_cure_stops_the_service_so_that_it_is_started_anew()
    {
        await using var service = await ClusterService.StartAsync(broker.Server.ConnectionStringFor(ResourceNames.Scaler),
            new Dictionary<string, string?> { ["EventOutbox:StallAfter"] = "00:00:10" });
        await Eventually.TrueAsync(() => service.Bus.CheckHealth().Status == BusHealthStatus.Healthy, Patience,
            "the service's bus never became healthy");
        var stuck = new StuckPublisher(service.Outbox);
        stuck.StickForever();
        using var observer = service.Bus.ConnectPublishObserver(stuck);

        service.Outbox.Enqueue(Request(1));

        await Eventually.TrueAsync(() => service.Stopping.IsCancellationRequested, TimeSpan.FromSeconds(150),
            () => $"the service did not stop ({service.Outbox.BusRestarts} restart(s) of the bus, {service.Outbox.Waiting} event(s) waiting)");
        Assert.Equal(EventOutbox.MaxRestartsWithoutConfirm, service.Outbox.BusRestarts);
    }

    [Theory]
    [InlineData("00:00:05")]
    [InlineData("02:00:00")]
    public async Task A_stall_limit_outside_10_s_to_1_h_stops_the_service_at_start_naming_the_key(string stallAfter)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ClusterService.StartAsync(
            broker.Server.ConnectionStringFor(ResourceNames.Scaler), new Dictionary<string, string?> { ["EventOutbox:StallAfter"] = stallAfter }));

        Assert.Contains("EventOutbox:StallAfter must be at least 00:00:10", refused.Message);
    }

    private static ScaleRequested Request(int i) =>
        new(Guid.NewGuid(), "stall", i, "outbox stall test", "test", DateTimeOffset.UtcNow);
}
