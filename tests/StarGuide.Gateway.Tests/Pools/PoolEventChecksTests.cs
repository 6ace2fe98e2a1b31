using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Contracts;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Pools;

/// <summary>
/// What a pool event may say even when the scaler's own broker user publishes it: public traffic goes only to
/// instances inside the pool's networks, and a pool version far ahead of the clock (which would freeze the pool until a
/// restart) is refused. A real RabbitMQ, a real gateway on Kestrel and real upstreams, one of them reachable but outside
/// the pool's network.
/// </summary>
public sealed class PoolEventChecksTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestUpstream _a = null!;
    private TestUpstream _b = null!;
    private TestUpstream _outside = null!;
    private TestUpstream _frontend = null!;
    private PublisherBus _scaler = null!;
    private KestrelGateway _gateway = null!;
    private RefusedEvents _refused = null!;

    private PoolRegistry Pools => _gateway.Services.GetRequiredService<PoolRegistry>();

    public async Task InitializeAsync()
    {
        _a = await TestUpstream.StartAsync("a");
        _b = await TestUpstream.StartAsync("b");
        // Linux answers on all of 127.0.0.0/8: reachable, but outside the pool's network below.
        _outside = await TestUpstream.StartAsync("outside", IPAddress.Parse("127.0.0.2"));
        _frontend = await TestUpstream.StartAsync("frontend-1");
        _scaler = await PublisherBus.StartAsync(broker.Server, ResourceNames.Scaler);
        var settings = KestrelGateway.Pools(_a, _frontend).WithPatientTries();
        settings["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        settings["Pools:backend:AllowedNetworks:0"] = "127.0.0.1/32";
        _gateway = KestrelGateway.Start(settings);
        _refused = new RefusedEvents(_gateway.Services);
        await HealthEndpoint.WaitHealthyAsync(_gateway.ManagementClient, Patience, "the gateway's bus never connected");
    }

    public async Task DisposeAsync()
    {
        _refused.Dispose();
        await _gateway.DisposeAsync();
        await _scaler.DisposeAsync();
        foreach (var upstream in new[] { _a, _b, _outside, _frontend })
        {
            await upstream.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_snapshot_naming_an_address_outside_the_pools_networks_is_refused_counted_and_never_routed_to()
    {
        await _scaler.Publish(Snapshot(1, _a, _outside));

        // Refused, or (were the check missing) applied: either way the gateway has handled it.
        await Eventually.TrueAsync(() => _refused.Describe() != "" || Pools.VersionOf("backend") != 0, Patience,
            "the snapshot naming 127.0.0.2 was neither refused nor applied");
        Assert.Equal(["a"], await ServedByAsync(20));
        Assert.Equal(0, _outside.Requests);
        Assert.Equal(0, Pools.VersionOf("backend"));
        Assert.Equal(1, _refused.Count("PoolChanged", "address"));

        // The pool keeps taking the scaler's real updates.
        await _scaler.Publish(Snapshot(2, _a, _b));
        await Eventually.TrueAsync(() => Pools.VersionOf("backend") == 2, Patience, "the next real snapshot was not applied");
        Assert.Equal(["a", "b"], (await ServedByAsync(40)).Order());
        Assert.Equal(0, _outside.Requests);
    }

    [Fact]
    public async Task A_pool_version_far_in_the_future_is_refused_and_the_pool_keeps_taking_real_updates()
    {
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        await _scaler.Publish(Snapshot(tomorrow, _b));

        await Eventually.TrueAsync(() => _refused.Describe() != "" || Pools.VersionOf("backend") != 0, Patience,
            "the version from tomorrow was neither refused nor applied");
        Assert.Equal(0, Pools.VersionOf("backend"));
        Assert.Equal(["a"], await ServedByAsync(20));
        Assert.Equal(1, _refused.Count("PoolChanged", "version"));

        // A real version, as the scaler makes them (its clock in Unix milliseconds), still applies.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _scaler.Publish(Snapshot(now, _b));
        await Eventually.TrueAsync(() => Pools.VersionOf("backend") == now, Patience, "the real update was not applied");
        Assert.Equal(["b"], await ServedByAsync(20));
    }

    private static PoolChanged Snapshot(long version, params TestUpstream[] members) =>
        new("backend", version, [.. members.Select(u => new PoolMember(u.InstanceId, u.Address, 1, false, Ready: true))], DateTimeOffset.UtcNow);

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
