using System.Net;
using StarGuide.Gateway.Tests.Support;

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
        // Not ready: the test's broker address is closed. Readiness is what /health reports, so that is the answer.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("# TYPE", metrics);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_403_on_the_management_port()
    {
        var settings = GatewaySettings.Pools(null);
        settings["Gateway:Management:AllowedNetworks:0"] = "10.0.0.0/8";
        settings["Gateway:Management:AllowedNetworks:1"] = "10.0.0.0/8";
        await using var gateway = KestrelGateway.Start(settings);

        using var response = await gateway.ManagementClient.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_management_port_they_are_served_on_the_public_port_to_allowed_networks_only()
    {
        await using var upstream = await ScriptedUpstream.StartAsync("frontend");
        var open = GatewaySettings.Pools(null, upstream.Address);
        open["Gateway:Management:Port"] = "0";
        var closed = new Dictionary<string, string?>(open)
        {
            ["Gateway:Management:AllowedNetworks:0"] = "10.0.0.0/8",
            ["Gateway:Management:AllowedNetworks:1"] = "10.0.0.0/8",
        };

        await using (var gateway = KestrelGateway.Start(open))
        {
            Assert.Contains("# TYPE", await gateway.Client.GetStringAsync("/metrics"));
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
