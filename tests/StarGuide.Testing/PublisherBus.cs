using MassTransit;
using StarGuide.ServiceDefaults.Messaging.Publishers;

namespace StarGuide.Testing;

/// <summary>
/// A MassTransit bus on a test broker that publishes as one of the project's broker users would: logged in as that user
/// and stamping its AMQP <c>user_id</c>, as every service does. Stopped on dispose.
/// </summary>
public sealed class PublisherBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private PublisherBus(IBusControl bus) => _bus = bus;

    /// <param name="user">One of <c>BrokerUsers.All</c>, e.g. <c>scaler</c>.</param>
    /// <param name="userId">
    /// The <c>user_id</c> to stamp in place of <paramref name="user"/> (RabbitMQ refuses a message whose user id is not
    /// its connection's user; a test may want to see that).
    /// </param>
    public static async Task<PublisherBus> StartAsync(RabbitMqServer broker, string user, string? userId = null)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.UriFor(user), host => host.PublisherConfirmation = true);
            rabbit.StampUserId(new BrokerUser(userId ?? user));
        });
        await bus.StartAsync().ConfigureAwait(false);
        return new PublisherBus(bus);
    }

    /// <summary>Publishes and waits for the broker's confirmation (or its refusal, as an exception).</summary>
    public Task Publish<T>(T message, CancellationToken cancellationToken = default)
        where T : class => _bus.Publish(message, cancellationToken);

    /// <summary>Sends to one address (e.g. <c>exchange:name</c>) and waits for the broker's confirmation.</summary>
    public async Task Send<T>(Uri address, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(address).ConfigureAwait(false);
        await endpoint.Send(message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync().ConfigureAwait(false);
}
