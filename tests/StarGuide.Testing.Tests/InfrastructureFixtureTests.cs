using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using StackExchange.Redis;

namespace StarGuide.Testing.Tests;

// Both servers, started concurrently once for the class (a broker needs seconds to boot), the way a
// service's integration tests would use them. InfrastructureFixture is built from RabbitMqFixture and
// RedisFixture, so this exercises those too.
public sealed class InfrastructureFixtureTests(InfrastructureFixture fixture) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public void Servers_come_from_the_expected_source()
    {
        AssertSource("STARGUIDE_TEST_RABBITMQ", fixture.RabbitMq.Source);
        AssertSource("STARGUIDE_TEST_REDIS", fixture.Redis.Source);
        Assert.Equal(fixture.RabbitMq.AmqpUri, new Uri(fixture.RabbitMq.ConnectionString));
    }

    [Fact]
    public async Task Broker_accepts_an_AMQP_connection()
    {
        var factory = new ConnectionFactory { Uri = fixture.RabbitMq.AmqpUri };

        await using var connection = await factory.CreateConnectionAsync();

        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task Message_published_to_a_queue_is_consumed()
    {
        var factory = new ConnectionFactory { Uri = fixture.RabbitMq.AmqpUri };
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

    [Fact]
    public async Task Redis_answers_set_and_get()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = redis.GetDatabase();

        Assert.True(await db.StringSetAsync("fixture-key", "value"));
        Assert.Equal("value", (string?)await db.StringGetAsync("fixture-key"));
    }

    private static void AssertSource(string variable, string source)
    {
        var environment = ResolutionOptions.Default;
        if (environment.Read(variable) is not null)
        {
            Assert.Equal(ServerSources.Environment, source);
            return;
        }

        switch (environment.Selection)
        {
            case ServerSelection.Local:
                Assert.Equal(ServerSources.LocalProcess, source);
                break;
            case ServerSelection.Containers:
                Assert.Equal(ServerSources.Testcontainers, source);
                break;
            default:
                Assert.Contains(source, new[] { ServerSources.Testcontainers, ServerSources.LocalProcess });
                break;
        }
    }
}
