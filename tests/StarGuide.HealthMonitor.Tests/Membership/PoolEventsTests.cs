using StarGuide.Contracts;
using StarGuide.HealthMonitor.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.HealthMonitor.Tests.Membership;

/// <summary>
/// Two monitor replicas on a real RabbitMQ, probing real Kestrel upstreams, told by the scaler's events (published by
/// the test) which instances to probe; their verdicts are read off the same broker.
/// </summary>
public sealed class PoolEventsTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    // Short enough for quick tests, long enough that a busy machine's slow answers are not taken for a sick instance.
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    private readonly Cleanup _cleanup = new();
    private TestUpstream _a = null!;
    private TestUpstream _b = null!;
    private TestUpstream _c = null!;
    private VerdictListener _verdicts = null!;
    private MonitorHost _monitor = null!;
    private MonitorHost _replica = null!;

    public async Task InitializeAsync()
    {
        _a = _cleanup.Add(await TestUpstream.StartAsync("a"));
        _b = _cleanup.Add(await TestUpstream.StartAsync("b"));
        _c = _cleanup.Add(await TestUpstream.StartAsync("c"));
        _verdicts = _cleanup.Add(await VerdictListener.StartAsync(broker.Server));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.HealthMonitor),
            // How the pool is configured when the scaler runs: its health path, no instances.
            ["Pools:backend:HealthPath"] = "/ready",
            ["Probing:Interval"] = Interval.ToString(),
            ["Probing:Timeout"] = Timeout.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _monitor = _cleanup.Add(await MonitorHost.StartAsync(settings, Patience));
        _replica = _cleanup.Add(await MonitorHost.StartAsync(settings, Patience));
    }

    public async Task DisposeAsync() => await _cleanup.DisposeAsync();

    [Fact]
    public async Task Started_instance_is_probed_on_the_pools_health_path_and_announced_healthy_by_every_replica()
    {
        await _verdicts.PublishAsync(Started(_a, version: 1));

        await Eventually.TrueAsync(() => RecoveredCount(_a) >= 2, Patience,
            "both replicas did not announce the started instance healthy");
        foreach (var monitor in new[] { _monitor, _replica })
        {
            Assert.Equal(["a"], monitor.Membership.Trackers.Select(t => t.InstanceId));
            Assert.Equal(1, monitor.Membership.VersionOf("backend"));
        }
        Assert.All(_a.Received, r => Assert.Equal("/ready", r.PathAndQuery));
    }

    [Fact]
    public async Task Stopped_instance_gets_no_more_probes_and_no_more_verdicts()
    {
        await _verdicts.PublishAsync(Started(_a, version: 1));
        await Eventually.TrueAsync(() => RecoveredCount(_a) >= 2, Patience, "the started instance was not announced healthy");

        await _verdicts.PublishAsync(new InstanceStopped("a", "backend", _a.Address, "scaled down", 2, DateTimeOffset.UtcNow));
        await WaitForVersionAsync(2);
        Assert.Empty(_monitor.Membership.Trackers);
        Assert.Empty(_replica.Membership.Trackers);

        var probes = await ProbesDuringAsync(_a);
        Assert.Equal(0, probes);

        // Were it still probed, a stopped upstream would be announced unhealthy after two rounds. Only verdicts from
        // now on count: whatever was said while it was a member is not what this checks.
        var unhealthyBefore = _verdicts.Unhealthy.Count(v => v.InstanceId == "a");
        await _a.StopAsync();
        await Task.Delay(Interval * 5);
        Assert.Equal(unhealthyBefore, _verdicts.Unhealthy.Count(v => v.InstanceId == "a"));
    }

    [Fact]
    public async Task Snapshot_makes_exactly_its_members_probed_and_keeps_the_trackers_of_those_that_stay()
    {
        await _verdicts.PublishAsync(Started(_a, version: 1));
        await Eventually.TrueAsync(() => RecoveredCount(_a) >= 2, Patience, "the started instance was not announced healthy");

        await _verdicts.PublishAsync(Snapshot(2, _b, _c));
        await Eventually.TrueAsync(() => RecoveredCount(_b) >= 2 && RecoveredCount(_c) >= 2, Patience,
            "the snapshot's members were not announced healthy");
        var trackers = _monitor.Membership.Trackers.ToDictionary(t => t.InstanceId);
        Assert.Equal(["b", "c"], trackers.Keys.Order());

        // A stale event is ignored; the next snapshot with the same members changes nobody's tracker.
        await _verdicts.PublishAsync(Started(_a, version: 2));
        await _verdicts.PublishAsync(Snapshot(3, _b, _c));
        await WaitForVersionAsync(3);
        Assert.All(_monitor.Membership.Trackers, t => Assert.Same(trackers[t.InstanceId], t));

        var counts = await Task.WhenAll(ProbesDuringAsync(_a), ProbesDuringAsync(_b), ProbesDuringAsync(_c));
        Assert.Equal(0, counts[0]);
        Assert.True(counts[1] > 0, "b was not probed");
        Assert.True(counts[2] > 0, "c was not probed");
    }

    private static InstanceStarted Started(TestUpstream upstream, long version) =>
        new(upstream.InstanceId, "backend", upstream.Address, 1, false, version, DateTimeOffset.UtcNow);

    private static PoolChanged Snapshot(long version, params TestUpstream[] members) =>
        new("backend", version,
            [.. members.Select(u => new PoolMember(u.InstanceId, u.Address, 1, false, Ready: false))],
            DateTimeOffset.UtcNow);

    private int RecoveredCount(TestUpstream upstream) =>
        _verdicts.Recovered.Count(r => r.InstanceId == upstream.InstanceId && r.Address == upstream.Address);

    private Task WaitForVersionAsync(long version) => Eventually.TrueAsync(
        () => _monitor.Membership.VersionOf("backend") == version && _replica.Membership.VersionOf("backend") == version,
        Patience, $"the replicas did not reach pool version {version}");

    /// <summary>Probes the upstream received in five rounds, after a probe sent before now has had time to arrive.</summary>
    private static async Task<int> ProbesDuringAsync(TestUpstream upstream)
    {
        await Task.Delay(Interval + Timeout);
        var before = upstream.Requests;
        await Task.Delay(Interval * 5);
        return upstream.Requests - before;
    }
}
