using Microsoft.Extensions.DependencyInjection;
using StarGuide.Contracts;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Pools;

/// <summary>The pool changes from the scaler's events over a real RabbitMQ, while traffic flows: no reload, nothing dropped.</summary>
public sealed class PoolEventsTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestUpstream _a = null!;
    private TestUpstream _b = null!;
    private TestUpstream _frontend = null!;
    private PublisherBus _scaler = null!;
    private PublisherBus _monitor = null!;

    public async Task InitializeAsync()
    {
        _a = await TestUpstream.StartAsync("a");
        _b = await TestUpstream.StartAsync("b");
        _frontend = await TestUpstream.StartAsync("frontend-1");
        // Pool events come from the scaler, verdicts from the health monitor, each with its own broker user.
        _scaler = await PublisherBus.StartAsync(broker.Server, ResourceNames.Scaler);
        _monitor = await PublisherBus.StartAsync(broker.Server, ResourceNames.HealthMonitor);
    }

    public async Task DisposeAsync()
    {
        await _scaler.DisposeAsync();
        await _monitor.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _frontend.DisposeAsync();
    }

    [Fact]
    public async Task Instances_join_drain_and_leave_on_events_without_dropping_a_request()
    {
        await using var gateway = await StartGatewayAsync();
        var pools = gateway.Services.GetRequiredService<PoolRegistry>();
        Assert.Equal(["a"], await ServedByAsync(gateway, 10));

        // A started instance is a destination, but gets traffic only once the monitor reports it healthy.
        await _scaler.Publish(new InstanceStarted("b", "backend", _b.Address, 1, false, 1, DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 1), "InstanceStarted was not applied");
        Assert.Equal(["a"], await ServedByAsync(gateway, 20));
        await _monitor.Publish(new InstanceRecovered("b", "backend", _b.Address, DateTimeOffset.UtcNow));
        await WaitAsync(async () => (await ServedByAsync(gateway, 10)).Contains("b"), "InstanceRecovered did not admit b");
        Assert.Equal(["a", "b"], (await ServedByAsync(gateway, 40)).Order());

        // A slow request is in flight on one instance when that instance is drained and removed: the upstream holds it
        // unanswered until the test lets it go, so it is certainly still in flight then, however slow the machine (a
        // fixed delay could end before the drain began). On the ai route, which has no per-try timeout: under the api
        // route's 2 s one, a busy machine timed the attempt out and retried it on the other instance (as it should),
        // and the answer came from the instance that stayed.
        var inFlight = gateway.Client.GetAsync("/api/ai/slow?hold=1");
        TestUpstream? busy = null;
        await WaitAsync(() => Task.FromResult((busy = new[] { _a, _b }.FirstOrDefault(u => u.Held == 1)) is not null),
            "the slow request never reached an upstream");
        var leaving = busy!;
        var staying = leaving == _a ? _b : _a;
        await _scaler.Publish(new InstanceDraining(leaving.InstanceId, "backend", leaving.Address, 2, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow));
        await _scaler.Publish(new InstanceStopped(leaving.InstanceId, "backend", leaving.Address, "scaled down", 3, DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 3), "InstanceStopped was not applied");
        Assert.Equal([staying.InstanceId], await ServedByAsync(gateway, 20));
        Assert.False(inFlight.IsCompleted, $"the request in flight on {leaving.InstanceId} ended before {leaving.InstanceId} answered it");
        Assert.Equal(1, leaving.Held);
        leaving.ReleaseHeld();
        using (var slow = await inFlight)
        {
            Assert.True(slow.IsSuccessStatusCode, $"the request in flight on the removed instance failed: {(int)slow.StatusCode}");
            Assert.Equal(leaving.InstanceId, await slow.Content.ReadAsStringAsync());
        }

        // A stale event (older pool version) changes nothing; a newer snapshot replaces the view.
        await _scaler.Publish(new InstanceStarted(leaving.InstanceId, "backend", leaving.Address, 1, false, 2, DateTimeOffset.UtcNow));
        await _scaler.Publish(new PoolChanged("backend", 4, [new PoolMember(staying.InstanceId, staying.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 4), "PoolChanged was not applied");
        Assert.Equal([staying.InstanceId], await ServedByAsync(gateway, 20));
    }

    [Fact]
    public async Task A_snapshot_admits_the_members_it_says_are_ready_and_keeps_the_others_out_until_healthy()
    {
        await using var gateway = await StartGatewayAsync();
        var pools = gateway.Services.GetRequiredService<PoolRegistry>();

        // As a gateway that restarted sees the scaler's periodic snapshot: a is gone, b serves, c has just started.
        await using var c = await TestUpstream.StartAsync("c");
        await _scaler.Publish(new PoolChanged("backend", 10,
            [new PoolMember("b", _b.Address, 1, false, Ready: true), new PoolMember("c", c.Address, 1, false, Ready: false)],
            DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 10), "PoolChanged was not applied");
        Assert.Equal(["b"], await ServedByAsync(gateway, 20));

        await _monitor.Publish(new InstanceRecovered("c", "backend", c.Address, DateTimeOffset.UtcNow));
        await WaitAsync(async () => (await ServedByAsync(gateway, 10)).Contains("c"), "InstanceRecovered did not admit c");
    }

    [Fact]
    public async Task A_gateway_that_missed_the_events_before_a_stop_takes_the_snapshot_of_that_version()
    {
        await using var gateway = await StartGatewayAsync();
        var pools = gateway.Services.GetRequiredService<PoolRegistry>();

        // As a replica that (re)started after b joined sees it: the first event it gets is a's removal, at version 7,
        // which leaves it with nobody; then the scaler's periodic snapshot, still at version 7, says b serves.
        await _scaler.Publish(new InstanceStopped("a", "backend", _a.Address, "replaced", 7, DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 7), "InstanceStopped was not applied");
        var snapshot = new PoolChanged("backend", 7, [new PoolMember("b", _b.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow);
        await _scaler.Publish(snapshot);

        await WaitAsync(async () => (await gateway.Client.GetAsync("/api/anything")).IsSuccessStatusCode, "the snapshot of the same version was ignored: every request failed");
        Assert.Equal(["b"], await ServedByAsync(gateway, 10));
        Assert.False(pools.Apply(snapshot, out _)); // the same snapshot again changes nothing (no config swap every 5 s)
    }

    [Fact]
    public async Task A_gateway_with_a_pool_it_knows_no_member_of_is_not_healthy_until_the_scaler_names_one()
    {
        await using var gateway = await StartGatewayWithoutBackendAsync();
        var pools = gateway.Services.GetRequiredService<PoolRegistry>();
        await Task.Delay(TimeSpan.FromSeconds(1)); // the bus's health follows its connection within this

        using (var before = await gateway.ManagementClient.GetAsync("/health"))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, before.StatusCode);
        }
        await _scaler.Publish(new PoolChanged("backend", 3, [new PoolMember("a", _a.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));
        await WaitAsync(() => Task.FromResult(pools.VersionOf("backend") == 3), "PoolChanged was not applied");

        await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, Patience, "the gateway stayed unhealthy");
        Assert.Equal(["a"], await ServedByAsync(gateway, 5));
    }

    [Fact]
    public async Task A_request_to_a_pool_no_member_is_known_of_yet_waits_for_the_scaler_to_name_one()
    {
        await using var gateway = await StartGatewayWithoutBackendAsync();
        var get = gateway.Client.GetAsync("/api/items");
        var post = gateway.Client.PostAsync("/api/orders", new StringContent("{\"star\":\"Vega\"}"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(get.IsCompleted, "the GET was answered before any backend was known");
        Assert.False(post.IsCompleted, "the POST was answered before any backend was known");

        await _scaler.Publish(new PoolChanged("backend", 3, [new PoolMember("a", _a.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));

        foreach (var request in new[] { get, post })
        {
            using var response = await request.WaitAsync(Patience);
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.Method} failed with {(int)response.StatusCode}");
            Assert.Equal("a", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_request_to_a_pool_no_member_is_known_of_is_answered_503_when_the_hold_ends()
    {
        await using var gateway = await StartGatewayWithoutBackendAsync(new() { ["Gateway:PoolStart:Hold"] = "00:00:01" });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var response = await gateway.Client.GetAsync("/api/items");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {waited.Elapsed.TotalMilliseconds:F0} ms, before the 1 s hold ended");
    }

    /// <summary>
    /// As in compose and Kubernetes: the backend pool configured without instances (they come from the scaler), the
    /// frontend with one; returned once the bus consumes (a frontend snapshot is applied), before anything names a backend.
    /// </summary>
    private async Task<KestrelGateway> StartGatewayWithoutBackendAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pools:backend:HealthPath"] = "/api/health",
            ["Pools:frontend:Instances:0:Id"] = _frontend.InstanceId,
            ["Pools:frontend:Instances:0:Address"] = _frontend.Address.ToString(),
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway),
            ["Gateway:RateLimiting:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var gateway = KestrelGateway.Start(settings);
        try
        {
            var pools = gateway.Services.GetRequiredService<PoolRegistry>();
            await WaitAsync(async () =>
            {
                await _scaler.Publish(new PoolChanged("frontend", 2, [new PoolMember(_frontend.InstanceId, _frontend.Address, 1, false, Ready: true)], DateTimeOffset.UtcNow));
                await Task.Delay(200);
                return pools.VersionOf("frontend") == 2;
            }, "the gateway's bus never consumed");
            Assert.Equal(0, pools.VersionOf("backend"));
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>A gateway with backend <c>a</c> and the frontend configured, on the broker, its bus connected.</summary>
    private async Task<KestrelGateway> StartGatewayAsync()
    {
        var settings = KestrelGateway.Pools(_a, _frontend).WithPatientTries();
        settings["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        var gateway = KestrelGateway.Start(settings);
        try
        {
            await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, Patience, "the gateway's bus never connected");
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static async Task<HashSet<string>> ServedByAsync(KestrelGateway gateway, int count)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await gateway.Client.GetAsync("/api/anything");
            Assert.True(response.IsSuccessStatusCode, $"request {i} failed with {(int)response.StatusCode}");
            served.Add(await response.Content.ReadAsStringAsync());
        }
        return served;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
