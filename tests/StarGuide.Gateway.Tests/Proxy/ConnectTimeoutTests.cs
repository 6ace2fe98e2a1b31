using System.Net;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Proxy;

/// <summary>
/// nginx <c>proxy_connect_timeout</c> per pool (<c>Pools:&lt;name&gt;:ConnectTimeout</c>): an instance whose connect
/// hangs (a host that drops packets) fails the attempt after that time, and the request goes to another instance.
/// </summary>
public class ConnectTimeoutTests
{
    [Fact]
    public async Task A_connect_that_hangs_gives_up_after_the_pools_ConnectTimeout_and_the_request_is_retried_elsewhere()
    {
        using var blackhole = new Blackhole();
        await using var good = await ScriptedUpstream.StartAsync("good");
        await using var gateway = new GatewayHost()
            .WithInstance(good)
            .With("Pools:backend:Instances:1:Id", "blackhole")
            .With("Pools:backend:Instances:1:Address", blackhole.Address)
            .With("Pools:backend:MaxFails", "0") // the hanging instance stays in turn: every other request tries it
            // The exact count below needs every connect to the good instance (loopback, well under a millisecond on
            // a quiet machine) to finish within it, also when a loaded 2-core machine stalls the gateway's
            // continuations for a second or more, so 1 s was tight. 3 s: 2 of the 4 requests wait it out on the
            // blackhole, 6 s in all.
            .With("Pools:backend:ConnectTimeout", "00:00:03");
        using var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30); // far below the 60 s default, far above 3 s

        var results = await client.GetSequentiallyAsync(4);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "good"), r));
        Assert.Equal(4, good.Requests);
        // The hanging instance was tried (and retried away from) for every other request.
        var metrics = await gateway.MetricsAsync(client);
        Assert.Matches("starguide_gateway_retries_total\\{[^}]*error=\"RequestTimedOut\"[^}]*pool=\"backend\"", metrics);
    }

    [Fact]
    public async Task With_no_other_instance_the_client_gets_504_once_ConnectTimeout_has_passed()
    {
        using var blackhole = new Blackhole();
        await using var gateway = new GatewayHost()
            .With("Pools:backend:Instances:0:Id", "blackhole")
            .With("Pools:backend:Instances:0:Address", blackhole.Address)
            .With("Pools:backend:ConnectTimeout", "00:00:00.300");
        using var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);

        using var response = await client.GetAsync("/api/x");

        // nginx answers a connect timeout with 504 as well ("upstream timed out ... while connecting to upstream").
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }
}
