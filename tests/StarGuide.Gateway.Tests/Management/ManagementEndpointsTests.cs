using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Management;

/// <summary>The gateway's own /health, /alive and /metrics are for operators and scrapers, never for the public.</summary>
public sealed class ManagementEndpointsTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/metrics")]
    public async Task On_the_public_port_the_management_paths_are_proxied_like_any_other(string path)
    {
        await using var upstream = await ScriptedUpstream.StartAsync("frontend");
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(null, upstream.Address));

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal("frontend", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task The_management_port_serves_health_liveness_and_metrics_and_proxies_nothing()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address, upstream.Address));

        using var alive = await gateway.ManagementClient.GetAsync("/alive");
        using var health = await gateway.ManagementClient.GetAsync("/health");
        var metrics = await gateway.ManagementClient.GetStringAsync("/metrics");
        using var api = await gateway.ManagementClient.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        // The test's broker address is closed: Degraded, still ready (it serves its configured pools without a bus).
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        Assert.Contains("# TYPE", metrics);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_403_on_the_management_port_whatever_its_token()
    {
        var settings = GatewaySettings.Pools(null);
        settings["Management:AllowedNetworks:0"] = "127.0.0.2/32"; // the client is 127.0.0.1
        await using var gateway = KestrelGateway.Start(settings);
        using var operatorClient = new HttpClient { BaseAddress = gateway.ManagementClient.BaseAddress }.WithManagementToken();

        using var metrics = await operatorClient.GetAsync("/metrics");
        using var health = await operatorClient.GetAsync("/health");

        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, health.StatusCode);
    }

    [Fact]
    public async Task Metrics_on_the_management_port_need_a_token_health_and_liveness_do_not()
    {
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(null));
        using var anonymous = new HttpClient { BaseAddress = gateway.ManagementClient.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = gateway.ManagementClient.BaseAddress }.WithManagementToken("not-a-token-of-this-gateway-000");
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        rebound.Headers.Host = "attacker.example"; // DNS rebinding from an operator's browser

        using var metrics = await anonymous.GetAsync("/metrics");
        using var wrongMetrics = await wrong.GetAsync("/metrics");
        using var alive = await anonymous.GetAsync("/alive");
        using var reboundMetrics = await gateway.ManagementClient.SendAsync(rebound);

        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.DoesNotContain("# TYPE", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reboundMetrics.StatusCode);
    }

    [Fact]
    public async Task Without_a_management_port_they_are_served_on_the_public_port_to_allowed_networks_only()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("frontend");
        var open = GatewaySettings.Pools(null, upstream.Address);
        open["Gateway:Management:Port"] = "0";
        var closed = new Dictionary<string, string?>(open)
        {
            ["Management:AllowedNetworks:0"] = "127.0.0.2/32",
        };

        await using (var gateway = KestrelGateway.Start(open))
        {
            using var client = new HttpClient { BaseAddress = gateway.Address }.WithManagementToken(TestManagement.ReadToken);
            Assert.Contains("# TYPE", await client.GetStringAsync("/metrics"));
            using var anonymous = await gateway.Client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        await using (var gateway = KestrelGateway.Start(closed))
        {
            Assert.Equal("frontend", await gateway.Client.GetStringAsync("/metrics"));
        }
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task A_management_port_that_is_also_the_public_port_stops_the_gateway_naming_both()
    {
        var port = StarGuide.Testing.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var output = await GatewayProcess.AssertStopsAtStartAsync(new() { ["urls"] = $"http://127.0.0.1:{port}", ["Gateway:Management:Port"] = port });

        Assert.Contains($"Gateway:Management:Port {port} is also a public address of the gateway", output);
    }
}
