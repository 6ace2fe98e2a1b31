using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace StarGuide.Testing;

/// <summary>
/// One message published with RabbitMQ's own client, as a given broker user, with publisher confirms: for tests of what
/// the broker itself allows (permissions, <c>user_id</c> validation), without MassTransit's retries in between.
/// </summary>
public static class RawPublish
{
    /// <summary>
    /// Publishes <paramref name="body"/> to <paramref name="exchange"/> as <paramref name="user"/>, with AMQP
    /// <c>user_id</c> <paramref name="userId"/> (default: the user itself). Returns null when the broker confirmed the
    /// message, else the reason it gave when it closed the channel (e.g. 403 ACCESS_REFUSED, 406 PRECONDITION_FAILED).
    /// </summary>
    public static async Task<ShutdownEventArgs?> TryAsync(
        RabbitMqServer broker, string user, string exchange, string? userId = null, string body = "{}")
    {
        var factory = new ConnectionFactory { Uri = broker.UriFor(user) };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)).ConfigureAwait(false);
        try
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: false,
                new BasicProperties { UserId = userId ?? user, ContentType = "application/json" },
                System.Text.Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or PublishException)
        {
            // The channel's close reason, once the client has read it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (channel.CloseReason is null && !timeout.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }
            return channel.CloseReason ?? throw new InvalidOperationException("the publish failed but the channel is open", ex);
        }
    }

    /// <summary>Declares the exchanges as the administrator (durable fanout, as MassTransit declares them).</summary>
    public static async Task DeclareExchangesAsync(RabbitMqServer broker, IEnumerable<string> exchanges)
    {
        var factory = new ConnectionFactory { Uri = broker.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true).ConfigureAwait(false);
        }
    }
}
