using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace StarGuide.Testing.Tests;

// A broker of its own, separate from the fixture's: these tests stop, restart and dispose it.
public sealed class RabbitMqLifecycleTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task Broker_survives_an_outage_on_the_same_port_with_its_durable_queue_and_dispose_leaves_nothing_behind(string servers)
    {
        var options = TestOptions.With((ResolutionOptions.ServersVariable, servers));
        if (servers == "containers")
        {
            await DockerRequirement.EngineWithAsync(options.RabbitMqImage);
        }

        // Timings go to the test output: they are what makes or breaks the suite's run time.
        var clock = Stopwatch.StartNew();
        var server = await RabbitMqServer.StartAsync(options, CancellationToken.None);
        output.WriteLine($"{server.Source} start: {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            Assert.Equal(servers == "local" ? ServerSources.LocalProcess : ServerSources.Testcontainers, server.Source);
            var uri = server.AmqpUri;
            Assert.Equal("127.0.0.1", uri.Host);
            var started = Remains.Of(server);

            // Local: launcher script, Erlang VM, epmd and the data folder; container: the labelled container.
            Assert.Equal(servers == "local" ? 4 : 1, (await started.StillThereAsync()).Count);

            // A durable queue with a persistent message shows that the restart keeps the broker's data.
            await using (var connection = await ConnectAsync(uri))
            await using (var channel = await connection.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync("lifecycle", durable: true, exclusive: false, autoDelete: false);
                await channel.BasicPublishAsync(
                    exchange: string.Empty,
                    routingKey: "lifecycle",
                    mandatory: false,
                    basicProperties: new BasicProperties { Persistent = true },
                    body: Encoding.UTF8.GetBytes("kept"));
            }

            clock.Restart();
            await server.StopAsync();
            output.WriteLine($"stop: {clock.Elapsed.TotalSeconds:0.0} s");

            await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync(uri));

            // Local: the launcher and the VM are gone, epmd and the folder stay; container: stopped, not removed.
            Assert.Equal(servers == "local" ? 2 : 1, (await started.StillThereAsync()).Count);

            clock.Restart();
            await server.StartAgainAsync();
            output.WriteLine($"start again: {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.Equal(uri, server.AmqpUri);
            await using (var connection = await ConnectAsync(uri))
            await using (var channel = await connection.CreateChannelAsync())
            {
                var message = await channel.BasicGetAsync("lifecycle", autoAck: true);
                Assert.NotNull(message);
                Assert.Equal("kept", Encoding.UTF8.GetString(message.Body.Span));
            }

            var restarted = Remains.Of(server);
            clock.Restart();
            await server.DisposeAsync();
            output.WriteLine($"dispose: {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.Empty(await restarted.StillThereAsync());
            await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync(uri));
        }
        finally
        {
            // Also when an assertion failed half-way: no broker may outlive the test.
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_cancelled_half_way_leaves_no_process_behind()
    {
        // Two seconds in, epmd and the node are running but the node does not accept AMQP yet.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RabbitMqServer.StartAsync(TestOptions.Local, cancellation.Token));

        Assert.Empty(ProcessState.OrphansOfDeletedDataDirectories());
    }

    [Fact]
    public async Task Environment_variable_names_an_existing_broker_that_is_not_ours_to_stop()
    {
        var options = TestOptions.With(("STARGUIDE_TEST_RABBITMQ", "amqp://user:secret@broker.test:5673/vhost"));

        await using var server = await RabbitMqServer.StartAsync(options, CancellationToken.None);

        Assert.Equal(ServerSources.Environment, server.Source);
        Assert.Equal("amqp://user:secret@broker.test:5673/vhost", server.ConnectionString);
        Assert.Equal(5673, server.AmqpUri.Port);
        Assert.False(server.SupportsOutages);
        Assert.Empty(server.ProcessIds);
        var error = await Assert.ThrowsAsync<NotSupportedException>(server.StopAsync);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => server.StartAgainAsync());
    }

    [Fact]
    public async Task Environment_variable_that_is_not_an_amqp_uri_is_rejected_with_a_clear_message()
    {
        var options = TestOptions.With(("STARGUIDE_TEST_RABBITMQ", "127.0.0.1:5672"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqServer.StartAsync(options, CancellationToken.None));

        Assert.Contains("STARGUIDE_TEST_RABBITMQ must be an absolute amqp://", error.Message, StringComparison.Ordinal);
    }

    private static Task<IConnection> ConnectAsync(Uri uri) =>
        new ConnectionFactory { Uri = uri, AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) }
            .CreateConnectionAsync();
}
