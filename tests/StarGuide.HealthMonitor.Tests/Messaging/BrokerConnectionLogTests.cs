using StarGuide.HealthMonitor.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.HealthMonitor.Tests.Messaging;

/// <summary>
/// A service started before its broker says so once, not with a stack trace per connection retry, and says when it
/// is connected (ServiceDefaults' broker connection log, shown on the health monitor).
/// </summary>
public sealed class BrokerConnectionLogTests
{
    [Fact]
    public async Task A_broker_that_answers_late_gives_one_waiting_line_then_one_connected_line()
    {
        await using var broker = await RabbitMqServer.StartAsync();
        await broker.StopAsync();
        await using var monitor = new MonitorHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.ConnectionStringFor(ResourceNames.HealthMonitor),
        });
        using var client = monitor.CreateClient();
        var address = $"{broker.AmqpUri.Host}:{broker.AmqpUri.Port}";

        await Eventually.TrueAsync(() => monitor.Log.Tail(400).Contains($"Waiting for RabbitMQ at {address}"), TimeSpan.FromSeconds(30),
            "no 'waiting for RabbitMQ' line");
        // Long enough for MassTransit to retry the connection more than once (its first retries come within ~10 s).
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.False((await client.GetAsync("/health")).IsSuccessStatusCode, "/health says ready without a broker");
        await broker.StartAgainAsync();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(60),
            "the monitor did not connect once the broker answered");
        await Eventually.TrueAsync(() => monitor.Log.Tail(400).Contains($"Connected to RabbitMQ at {address} after"), TimeSpan.FromSeconds(10),
            "no 'connected' line");

        var log = monitor.Log.Tail(400);
        Assert.Single(log.Split('\n'), line => line.Contains("Waiting for RabbitMQ", StringComparison.Ordinal));
        Assert.DoesNotContain("BrokerUnreachableException", log);
        Assert.DoesNotContain("Connection Failed", log);
    }
}
