using System.Text.Json;
using RabbitMQ.Client;

namespace StarGuide.Testing;

/// <summary>
/// A test's own durable queue on the broker, bound to the exchanges MassTransit publishes the given contracts to (one
/// fanout exchange per message type, named <c>Namespace:Type</c>), with RabbitMQ's own client and no MassTransit in
/// between. Being durable, it outlives a broker restart: bound before an outage, it holds every event published after
/// the broker is back, in the order the broker took them, whoever consumes them meanwhile. Read it with
/// <see cref="WaitForAsync"/>, which opens a connection per read, so it reads on after an outage. Deleted on dispose.
/// </summary>
public sealed class DurableEventQueue : IAsyncDisposable
{
    private readonly Uri _broker;
    private readonly List<ReceivedEvent> _received = [];

    private DurableEventQueue(Uri broker, string name)
    {
        _broker = broker;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Every event read so far, in the order the queue delivered them.</summary>
    public IReadOnlyList<ReceivedEvent> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <param name="broker">The broker as its administrator (<see cref="RabbitMqServer.AmqpUri"/>), who may declare and bind.</param>
    public static async Task<DurableEventQueue> CreateAsync(Uri broker, params Type[] contracts)
    {
        var queue = new DurableEventQueue(broker, $"test-events-{Guid.NewGuid():N}");
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false).ConfigureAwait(false);
        foreach (var contract in contracts)
        {
            var exchange = $"{contract.Namespace}:{contract.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false).ConfigureAwait(false);
            await channel.QueueBindAsync(queue.Name, exchange, routingKey: "").ConfigureAwait(false);
        }
        return queue;
    }

    /// <summary>Reads what the queue holds now (acknowledging it) and returns everything read so far.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> ReadAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        while (await channel.BasicGetAsync(Name, autoAck: true).ConfigureAwait(false) is { } delivery)
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            lock (_received)
            {
                _received.Add(new ReceivedEvent(type[(type.LastIndexOf(':') + 1)..], envelope.RootElement.GetProperty("message").Clone()));
            }
        }
        return Received;
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what was read; fails after <paramref name="within"/> listing what
    /// arrived, and <paramref name="context"/> (e.g. a service's log). A broker that does not answer yet counts as "not yet".
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(
        Func<IReadOnlyList<ReceivedEvent>, bool> done, TimeSpan within, string what, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (done(await ReadAsync().ConfigureAwait(false)))
                {
                    return Received;
                }
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException
                or IOException or System.Net.Sockets.SocketException)
            {
                // The broker is not back yet.
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{what} within {within.TotalSeconds:0.#} s; the queue had: "
                    + string.Join(", ", Received.Select(e => e.Describe())) + (context is null ? "" : $"{Environment.NewLine}{context()}"));
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync().ConfigureAwait(false);
            await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
            await channel.QueueDeleteAsync(Name).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or IOException or System.Net.Sockets.SocketException)
        {
            // The broker is gone (the fixture stops it after the test class): so is the queue.
        }
    }
}
