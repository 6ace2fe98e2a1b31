using System.Net;
using StarGuide.Contracts;
using StarGuide.HealthMonitor.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.HealthMonitor.Tests.Membership;

/// <summary>
/// What a pool event may say, even from the scaler's own broker user: the monitor probes only instances inside the
/// pool's networks and ports, and a pool version far ahead of its clock (which would freeze the pool) is refused. On a
/// real RabbitMQ, with real upstreams.
/// </summary>
public sealed class PoolEventChecksTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Cleanup _cleanup = new();
    private TestUpstream _inside = null!;
    private TestUpstream _outside = null!;
    private VerdictListener _scaler = null!;
    private MonitorHost _monitor = null!;
    private RefusedEvents _refused = null!;

    public async Task InitializeAsync()
    {
        _inside = _cleanup.Add(await TestUpstream.StartAsync("inside"));
        // Reachable (Linux answers on all of 127.0.0.0/8), but outside the pool's one network below.
        _outside = _cleanup.Add(await TestUpstream.StartAsync("outside", IPAddress.Parse("127.0.0.2")));
        _scaler = _cleanup.Add(await VerdictListener.StartAsync(broker.Server));
        _monitor = _cleanup.Add(await MonitorHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.HealthMonitor),
            ["Pools:backend:HealthPath"] = "/ready",
            ["Pools:backend:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Probing:Interval"] = Interval.ToString(),
            ["Probing:Timeout"] = Interval.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        }, Patience));
        _refused = new RefusedEvents(_monitor.Services);
    }

    public async Task DisposeAsync()
    {
        _refused.Dispose();
        await _cleanup.DisposeAsync();
    }

    [Fact]
    public async Task An_instance_outside_the_pools_networks_is_never_probed_and_the_event_is_counted()
    {
        await _scaler.PublishAsync(Snapshot(1, _inside, _outside));

        // Refused, or (were the check missing) applied: either way the monitor has handled it.
        await Eventually.TrueAsync(() => _refused.Describe() != "" || _monitor.Membership.VersionOf("backend") != 0, Patience,
            "the snapshot naming 127.0.0.2 was neither refused nor applied");
        await Task.Delay(Interval * 4);
        Assert.Equal(0, _outside.Requests);
        Assert.Empty(_monitor.Membership.Trackers);
        Assert.Equal(0, _monitor.Membership.VersionOf("backend"));
        Assert.Equal(1, _refused.Count("PoolChanged", "address"));
        Assert.Contains("Refused PoolChanged from broker user scaler (address)", _monitor.Log.Tail(200));

        // The pool keeps taking the scaler's real updates.
        await _scaler.PublishAsync(Snapshot(2, _inside));
        await Eventually.TrueAsync(() => _monitor.Membership.VersionOf("backend") == 2, Patience, "the next real snapshot was not applied");
        await Eventually.TrueAsync(() => _inside.Requests > 0, Patience, "the instance inside the network was not probed");
        Assert.Equal(0, _outside.Requests);
    }

    [Fact]
    public async Task A_pool_version_far_in_the_future_is_refused_and_the_pool_keeps_taking_real_updates()
    {
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        await _scaler.PublishAsync(Started(_inside, tomorrow));

        await Eventually.TrueAsync(() => _refused.Describe() != "" || _monitor.Membership.VersionOf("backend") != 0, Patience,
            "the version from tomorrow was neither refused nor applied");
        Assert.Equal(0, _monitor.Membership.VersionOf("backend"));
        Assert.Equal(1, _refused.Count("InstanceStarted", "version"));

        // A real version, as the scaler makes them (its clock in Unix milliseconds), still applies.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _scaler.PublishAsync(Started(_inside, now));
        await Eventually.TrueAsync(() => _monitor.Membership.VersionOf("backend") == now, Patience, "the real update was not applied");
        Assert.Equal(["inside"], _monitor.Membership.Trackers.Select(t => t.InstanceId));
    }

    private static InstanceStarted Started(TestUpstream upstream, long version) =>
        new(upstream.InstanceId, "backend", upstream.Address, 1, false, version, DateTimeOffset.UtcNow);

    private static PoolChanged Snapshot(long version, params TestUpstream[] members) =>
        new("backend", version, [.. members.Select(u => new PoolMember(u.InstanceId, u.Address, 1, false, Ready: false))], DateTimeOffset.UtcNow);
}
