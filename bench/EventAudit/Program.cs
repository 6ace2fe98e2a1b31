// The chaos run's own record of every event the broker took, read from the broker rather than from the services'
// counters (a crashed service loses its last unscraped increments; two replicas of one service share a scrape target).
//   bind <amqp-uri> <queue> [quorum]     a durable queue of its own, bound to the exchange of every contract in
//                                        StarGuide.Contracts (MassTransit publishes each type to a fanout exchange
//                                        named Namespace:Type): from then on it holds a copy of every event published;
//                                        `quorum` on a cluster (a classic queue's node down, it would miss events)
//   read <amqp-uri> <queue> <out.jsonl>  everything the queue holds, one JSON line per event (type, message id, sent
//                                        time, the publishing host, the message), then the queue is deleted
// Exit code 2 on bad arguments, 1 when the broker cannot be reached (the message says which and why).
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using StarGuide.Contracts;

if (args.Length < 3 || (args[0], args.Length) is not (("bind", 3) or ("bind", 4) or ("read", 4)) || (args[0] == "bind" && args.Length == 4 && args[3] != "quorum") || !Uri.TryCreate(args[1], UriKind.Absolute, out var broker))
{
    Console.Error.WriteLine("usage: bind <amqp-uri> <queue> [quorum] | read <amqp-uri> <queue> <out.jsonl>");
    return 2;
}
var queue = args[2];
try
{
    await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    if (args[0] == "bind")
    {
        var arguments = args.Length == 4 ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
        var contracts = Contracts();
        foreach (var contract in contracts)
        {
            var exchange = $"{contract.Namespace}:{contract.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, routingKey: "");
        }
        Console.WriteLine($"{queue} bound to {contracts.Count} event exchanges: {string.Join(", ", contracts.Select(c => c.Name))}");
        return 0;
    }
    var count = 0;
    await using (var output = new StreamWriter(args[3]))
    {
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } delivery)
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            var root = envelope.RootElement;
            var type = root.GetProperty("messageType")[0].GetString()!;
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                type = type[(type.LastIndexOf(':') + 1)..],
                messageId = root.TryGetProperty("messageId", out var id) ? id.GetString() : null,
                sentTime = root.TryGetProperty("sentTime", out var sent) ? sent.GetString() : null,
                host = root.TryGetProperty("host", out var host) && host.TryGetProperty("machineName", out var machine) ? machine.GetString() : null,
                redelivered = delivery.Redelivered,
                message = root.GetProperty("message"),
            }));
            count++;
        }
    }
    // Acknowledged only once all of it is written: a read that fails half-way leaves the queue whole for another try.
    await channel.QueueDeleteAsync(queue);
    Console.WriteLine($"{count} events read from {queue} into {args[3]}; {queue} deleted");
    return 0;
}
catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException)
{
    Console.Error.WriteLine($"event audit: {args[0]} on {broker.Host}:{broker.Port} failed: {e.Message}");
    return 1;
}

// Every event type: the contracts, less the records they carry (PoolMember is part of PoolChanged, never published).
static List<Type> Contracts()
{
    var types = typeof(PoolChanged).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(PoolChanged).Namespace).ToList();
    var carried = types.SelectMany(t => t.GetProperties()).Select(p => p.PropertyType)
        .SelectMany(t => t.IsGenericType ? t.GetGenericArguments() : [t]).ToHashSet();
    return [.. types.Where(t => !carried.Contains(t)).OrderBy(t => t.Name, StringComparer.Ordinal)];
}
