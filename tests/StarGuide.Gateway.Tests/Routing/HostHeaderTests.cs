using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Routing;

/// <summary>The upstream sees the Host the client asked for (the seed's <c>proxy_set_header Host $host</c>).</summary>
public sealed class HostHeaderTests
{
    [Fact]
    public async Task The_client_host_reaches_the_upstream_by_default()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));

        var response = await RawHttp.SendAsync(gateway.Port, "GET /api/x HTTP/1.1\nHost: stars.example:8443\nConnection: close\n\n");

        Assert.Equal(200, response.Status);
        Assert.Equal("stars.example:8443", upstream.LastRequest!.Headers["Host"]);
    }

    [Fact]
    public async Task A_route_that_turns_it_off_sends_the_instance_address()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var settings = GatewaySettings.Pools(upstream.Address);
        settings["Gateway:Routes:api:PreserveHost"] = "false";
        await using var gateway = KestrelGateway.Start(settings);

        var response = await RawHttp.SendAsync(gateway.Port, "GET /api/x HTTP/1.1\nHost: stars.example\nConnection: close\n\n");

        Assert.Equal(200, response.Status);
        Assert.Equal($"127.0.0.1:{upstream.Port}", upstream.LastRequest!.Headers["Host"]);
    }
}
