using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// A plain AMQP consumer, independent of MassTransit, on a private queue bound to the exchanges MassTransit publishes
/// the given contracts to (one fanout exchange per message type, named <c>Namespace:Type</c>).
/// </summary>
internal sealed class EventListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<(string Type, JsonElement Message)> _received = new();

    private EventListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<EventListener> StartAsync(Uri broker, params Type[] contracts)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var listener = new EventListener(connection, channel);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var contract in contracts)
        {
            var exchange = $"{contract.Namespace}:{contract.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, routingKey: "");
        }
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            listener._received.Enqueue((type[(type.LastIndexOf(':') + 1)..], envelope.RootElement.GetProperty("message").Clone()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return listener;
    }

    public IReadOnlyList<JsonElement> Received(string type, Guid backupId) =>
        [.. _received.Where(r => r.Type == type && r.Message.GetProperty("backupId").GetGuid() == backupId).Select(r => r.Message)];

    /// <summary>The first <paramref name="type"/> event for the backup; fails quoting <paramref name="context"/> (e.g. the service's log).</summary>
    public async Task<JsonElement> WaitForAsync(string type, Guid backupId, TimeSpan within, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (Received(type, backupId) is [var first, ..])
            {
                return first;
            }
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"no {type} for {backupId} within {within.TotalSeconds} s; events received: "
                    + string.Join(", ", _received.Select(r => r.Type))
                    + (context is null ? "" : $"{Environment.NewLine}{context()}"));
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
