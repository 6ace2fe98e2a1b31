using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Messaging;

/// <summary>
/// A broker outage leaves the gateway serving from what it holds in memory, so its <c>/health</c> says Degraded (200)
/// rather than Unhealthy (503): a readiness probe or a load balancer keeps it, instead of taking every replica out at
/// once. Once the broker is back the bus reconnects and <c>/health</c> is Healthy again.
/// </summary>
/// <remarks>A broker of its own: stopping it must not take away the broker of other tests.</remarks>
public sealed class BrokerOutageHealthTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestUpstream _backend = null!;
    private TestUpstream _frontend = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestUpstream.StartAsync("a");
        _frontend = await TestUpstream.StartAsync("frontend-1");
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _frontend.DisposeAsync();
    }

    [SkippableFact]
    public async Task During_a_broker_outage_health_is_degraded_and_requests_are_served_then_healthy_once_it_is_back()
    {
        SkipUnlessTheBrokerCanBeStopped();
        await using var gateway = StartGateway();
        await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, Patience, "the gateway's bus never connected");

        await broker.Server.StopAsync();
        try
        {
            await HealthEndpoint.WaitForAsync(gateway.ManagementClient, HttpStatusCode.OK, "Degraded", Patience,
                "the gateway did not say Degraded while its broker was down");
            await AssertServedAsync(gateway);
            Assert.Equal("200 Degraded", await HealthEndpoint.ReadAsync(gateway.ManagementClient));
        }
        finally
        {
            await broker.Server.StartAgainAsync();
        }

        await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, Patience, "the gateway's bus did not reconnect once the broker was back");
    }

    /// <summary>
    /// A replica (re)started during the outage (a crash, a rolling update, a drained node): its bus has never connected,
    /// which MassTransit reports as not ready (Unhealthy unless told otherwise); the pools it serves are configured.
    /// </summary>
    [SkippableFact]
    public async Task A_gateway_started_during_a_broker_outage_is_degraded_and_serves_then_healthy_once_the_broker_is_up()
    {
        SkipUnlessTheBrokerCanBeStopped();
        await broker.Server.StopAsync();
        try
        {
            await using var gateway = StartGateway();
            // Long enough for MassTransit to try the broker more than once (its first retries come within ~10 s).
            await Task.Delay(TimeSpan.FromSeconds(12));
            Assert.Equal("200 Degraded", await HealthEndpoint.ReadAsync(gateway.ManagementClient));
            await AssertServedAsync(gateway);

            await broker.Server.StartAgainAsync();
            await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, Patience, "the gateway's bus did not connect once the broker was up");
        }
        catch
        {
            await StartBrokerIfStoppedAsync();
            throw;
        }
    }

    private void SkipUnlessTheBrokerCanBeStopped() => Skip.IfNot(broker.Server.SupportsOutages,
        $"the broker comes from {broker.Server.Source}; only a broker the tests started can be stopped and started");

    private KestrelGateway StartGateway()
    {
        var settings = KestrelGateway.Pools(_backend, _frontend).WithPatientTries();
        settings["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        return KestrelGateway.Start(settings);
    }

    private static async Task AssertServedAsync(KestrelGateway gateway)
    {
        using var served = await gateway.Client.GetAsync("/api/stars");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("a", await served.Content.ReadAsStringAsync());
    }

    private async Task StartBrokerIfStoppedAsync()
    {
        try
        {
            await broker.Server.StartAgainAsync();
        }
        catch (InvalidOperationException)
        {
            // Already running.
        }
    }
}
