using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace StarGuide.Testing.Tests;

// The broker is started once for the class: a node needs several seconds to boot.
public sealed class RabbitMqFixtureTests(RabbitMqFixture fixture) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public void Broker_comes_from_the_expected_source()
    {
        var server = fixture.Server;
        if (Environment.GetEnvironmentVariable("STARGUIDE_TEST_RABBITMQ") is { Length: > 0 })
        {
            Assert.Equal(ServerSources.Environment, server.Source);
        }
        else
        {
            Assert.Contains(server.Source, new[] { ServerSources.Testcontainers, ServerSources.LocalProcess });
        }

        Assert.Equal(server.AmqpUri, new Uri(server.ConnectionString));
    }

    [Fact]
    public async Task Broker_accepts_an_AMQP_connection()
    {
        var factory = new ConnectionFactory { Uri = fixture.Server.AmqpUri };

        await using var connection = await factory.CreateConnectionAsync();

        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task Message_published_to_a_queue_is_consumed()
    {
        var factory = new ConnectionFactory { Uri = fixture.Server.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);

        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: queue.QueueName, body: Encoding.UTF8.GetBytes("ping"));

        Assert.Equal("ping", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
