using Microsoft.Extensions.DependencyInjection;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Messaging;

/// <summary>
/// Who the gateway takes pool events and verdicts from, on a real RabbitMQ with the project's broker users: the broker
/// refuses what a user may not publish at all, and the gateway refuses, by AMQP <c>user_id</c>, what a user could write
/// where the broker's permissions cannot stop it (into a gateway replica's own queue, which every gateway user may write).
/// </summary>
public sealed class PublisherTrustTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestUpstream _a = null!;
    private TestUpstream _b = null!;
    private TestUpstream _frontend = null!;
    private KestrelGateway _gateway = null!;
    private RefusedEvents _refused = null!;

    private PoolRegistry Pools => _gateway.Services.GetRequiredService<PoolRegistry>();

    public async Task InitializeAsync()
    {
        _a = await TestUpstream.StartAsync("a");
        _b = await TestUpstream.StartAsync("b");
        _frontend = await TestUpstream.StartAsync("frontend-1");
        var settings = KestrelGateway.Pools(_a, _frontend).WithPatientTries();
        settings["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        settings["MessageBus:RetryLimit"] = "0"; // a faulting event goes to _error at once
        _gateway = KestrelGateway.Start(settings);
        _refused = new RefusedEvents(_gateway.Services);
        await HealthEndpoint.WaitHealthyAsync(_gateway.ManagementClient, Patience, "the gateway's bus never connected");
    }

    public async Task DisposeAsync()
    {
        _refused.Dispose();
        await _gateway.DisposeAsync();
        foreach (var upstream in new[] { _a, _b, _frontend })
        {
            await upstream.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_snapshot_published_with_the_health_monitors_credentials_is_refused_by_the_broker()
    {
        var refusal = await RawPublish.TryAsync(broker.Server, ResourceNames.HealthMonitor, "StarGuide.Contracts:PoolChanged");

        Assert.NotNull(refusal);
        Assert.Equal(403, refusal.ReplyCode);
        Assert.Contains("ACCESS_REFUSED", refusal.ReplyText);
        // It never reached the gateway: nothing refused there, nothing changed.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("", _refused.Describe());
        Assert.Equal(0, Pools.VersionOf("backend"));
        Assert.Equal(["a"], await ServedByAsync(10));
    }

    [Fact]
    public async Task Events_written_into_the_gateways_own_queue_by_another_gateway_user_are_refused_by_user_id()
    {
        // Any gateway replica may write to every gateway queue (the broker's permissions cannot tell replicas apart),
        // so a compromised replica can reach its peers directly; user_id says it is not the scaler or the monitor.
        var queue = _gateway.Services.GetRequiredService<ReplicaQueue>().Name;
        var health = _gateway.Services.GetRequiredService<InstanceHealthRegistry>();
        await using var peer = await PublisherBus.StartAsync(broker.Server, ResourceNames.Gateway);

        await peer.Send(new Uri($"exchange:{queue}"), new PoolChanged("backend", 5,
            [new PoolMember("b", _b.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));
        // Refused, or (were the check missing) applied: either way the gateway has handled it.
        await Eventually.TrueAsync(() => _refused.Describe() != "" || Pools.VersionOf("backend") != 0, Patience,
            "the forged snapshot was neither refused nor applied");
        Assert.Equal(["a"], await ServedByAsync(20));
        Assert.Equal(0, _b.Requests);
        Assert.Equal(0, Pools.VersionOf("backend"));
        Assert.Equal(1, _refused.Count("PoolChanged", "publisher"));

        await peer.Send(new Uri($"exchange:{queue}"), new InstanceUnhealthy("a", "backend", _a.Address, "forged", 3, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => _refused.Count("InstanceUnhealthy", "publisher") != 0 || health.IsUnhealthy("backend", "a"), Patience,
            "the forged verdict was neither refused nor applied");
        Assert.False(health.IsUnhealthy("backend", "a"), "the forged verdict took the only instance out of rotation");
        Assert.Equal(["a"], await ServedByAsync(20));
        Assert.Equal(1, _refused.Count("InstanceUnhealthy", "publisher"));

        // The same from the scaler's and the monitor's own users is applied.
        await using var scaler = await PublisherBus.StartAsync(broker.Server, ResourceNames.Scaler);
        await scaler.Publish(new PoolChanged("backend", 6,
            [new PoolMember("a", _a.Address, 1, false, Ready: true), new PoolMember("b", _b.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => Pools.VersionOf("backend") == 6, Patience, "the scaler's snapshot was not applied");
        await using var monitor = await PublisherBus.StartAsync(broker.Server, ResourceNames.HealthMonitor);
        await monitor.Publish(new InstanceUnhealthy("a", "backend", _a.Address, "probe failed", 3, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await ServedByAsync(10)).SetEquals(["b"]), Patience, "the monitor's verdict was not applied");
    }

    [Fact]
    public async Task An_event_that_faults_its_consumer_is_moved_to_the_error_queue_although_it_carries_the_scalers_user_id()
    {
        // MassTransit moves a faulted message as the gateway's user; with the scaler's user_id still on it RabbitMQ
        // would refuse the move, close the channel, and the message would come back and fault forever.
        var queue = _gateway.Services.GetRequiredService<ReplicaQueue>().Name;
        await using var scaler = await PublisherBus.StartAsync(broker.Server, ResourceNames.Scaler);
        await scaler.Publish(new PoolChanged("backend", 7, null!, DateTimeOffset.UtcNow)); // no member list: the consumer throws

        await Eventually.TrueAsync(async () => await MessagesInAsync(queue + "_error") == 1, Patience,
            "the faulted snapshot did not reach the gateway's _error queue");
        Assert.Equal(0u, await MessagesInAsync(queue));
        Assert.Equal(0, Pools.VersionOf("backend"));
        Assert.Equal(["a"], await ServedByAsync(10));
    }

    /// <summary>Ready messages in a queue, asked as the administrator; 0 for a queue that does not exist (yet).</summary>
    private async Task<uint> MessagesInAsync(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = broker.Server.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    private async Task<HashSet<string>> ServedByAsync(int count)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _gateway.Client.GetAsync("/api/anything");
            Assert.True(response.IsSuccessStatusCode, $"request {i} failed with {(int)response.StatusCode}");
            served.Add(await response.Content.ReadAsStringAsync());
        }
        return served;
    }
}
