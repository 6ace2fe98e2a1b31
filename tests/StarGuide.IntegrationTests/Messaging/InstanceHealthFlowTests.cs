using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway;
using StarGuide.Gateway.Health;
using StarGuide.HealthMonitor;
using StarGuide.IntegrationTests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Messaging;

/// <summary>
/// The health monitor and the gateway as two hosts on a real RabbitMQ, in front of two real Kestrel upstreams:
/// the monitor's <c>InstanceUnhealthy</c> / <c>InstanceRecovered</c> are handled by the gateway's consumers.
/// </summary>
public sealed class InstanceHealthFlowTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestUpstream _a = null!;
    private TestUpstream _b = null!;
    private ServiceFactory<GatewayAssembly> _gateway = null!;
    private ServiceFactory<HealthMonitorAssembly> _monitor = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _a = await TestUpstream.StartAsync("a");
        _b = await TestUpstream.StartAsync("b");
        var settings = new Dictionary<string, string?>
        {
            ["Pools:backend:HealthPath"] = "/health",
            ["Pools:backend:Instances:0:Id"] = _a.InstanceId,
            ["Pools:backend:Instances:0:Address"] = _a.Address.ToString(),
            ["Pools:backend:Instances:1:Id"] = _b.InstanceId,
            ["Pools:backend:Instances:1:Address"] = _b.Address.ToString(),
            // The default routes send everything else to a frontend pool; this test only looks at /api.
            ["Pools:frontend:Instances:0:Id"] = "frontend",
            ["Pools:frontend:Instances:0:Address"] = _b.Address.ToString(),
            // A stopped instance refuses at once, so this only sets how soon it is noticed; a shorter timeout let two slow
            // answers on a busy machine declare a running instance unhealthy.
            ["Probing:Interval"] = "00:00:01",
            ["Probing:Timeout"] = "00:00:01",
            // This test is about health verdicts; rate limits have tests of their own.
            ["Gateway:RateLimiting:Enabled"] = "false",
            // In-process (no Kestrel ports): /health on the public listener, where the test client is allowed.
            ["Gateway:Management:Port"] = "0",
        };
        // Each service connects as its own broker user, as everywhere else.
        _gateway = new ServiceFactory<GatewayAssembly>(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway),
        });
        _client = _gateway.CreateClient();
        await HealthEndpoint.WaitHealthyAsync(_client, Patience, "the gateway's bus did not become healthy");
        _monitor = new ServiceFactory<HealthMonitorAssembly>(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.HealthMonitor),
        });
        _ = _monitor.Services;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _monitor.DisposeAsync();
        await _gateway.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Gateway_stops_and_resumes_routing_to_an_instance_on_the_monitors_events()
    {
        Assert.Equal(["a", "b"], (await ServedByAsync(40)).Order());

        await _a.StopAsync();
        var registry = _gateway.Services.GetRequiredService<InstanceHealthRegistry>();
        await Eventually.TrueAsync(() => Task.FromResult(registry.IsUnhealthy("backend", "a")), Patience,
            "the gateway never consumed InstanceUnhealthy for a");
        Assert.Equal(["b"], await ServedByAsync(20));

        await _a.StartAgainAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!registry.IsUnhealthy("backend", "a")), Patience,
            "the gateway never consumed InstanceRecovered for a");
        Assert.Equal(["a", "b"], (await ServedByAsync(40)).Order());
    }

    /// <summary>Sends <paramref name="count"/> requests; every one must succeed. Returns the instances that answered.</summary>
    private async Task<HashSet<string>> ServedByAsync(int count)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _client.GetAsync("/api/anything");
            Assert.True(response.IsSuccessStatusCode, $"request {i} failed with {(int)response.StatusCode}");
            served.Add(await response.Content.ReadAsStringAsync());
        }
        return served;
    }
}
