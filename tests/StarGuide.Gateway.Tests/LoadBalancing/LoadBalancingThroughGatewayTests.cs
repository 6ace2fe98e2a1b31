using System.Net;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.LoadBalancing;

/// <summary>The gateway in front of real upstreams: least outstanding requests, weighted.</summary>
public class LoadBalancingThroughGatewayTests
{
    [Fact]
    public async Task Concurrent_slow_requests_are_shared_by_weight_3_to_1()
    {
        await using var heavy = await ScriptedUpstream.StartAsync("heavy");
        await using var light = await ScriptedUpstream.StartAsync("light");
        await using var gateway = new GatewayHost().WithInstance(heavy, weight: 3).WithInstance(light, weight: 1);
        using var client = gateway.CreateClient();
        heavy.Hold();
        light.Hold();

        var requests = Enumerable.Range(0, 40).Select(_ => client.GetAsync("/api/slow")).ToList();
        await Until(() => heavy.Waiting + light.Waiting == 40, "all 40 requests held by the upstreams");
        heavy.Release();
        light.Release();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var heavyShare = heavy.Requests / 40.0;
        Assert.InRange(heavyShare, 0.6, 0.9); // 0.75 by weight
        Assert.Equal(40, heavy.Requests + light.Requests);
    }

    [Fact]
    public async Task Sequential_requests_to_equal_instances_reach_every_instance()
    {
        await using var a = await ScriptedUpstream.StartAsync("a");
        await using var b = await ScriptedUpstream.StartAsync("b");
        await using var c = await ScriptedUpstream.StartAsync("c");
        await using var gateway = new GatewayHost().WithInstance(a).WithInstance(b).WithInstance(c);
        using var client = gateway.CreateClient();

        var results = await client.GetSequentiallyAsync(30);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(new[] { a, b, c }, u => Assert.InRange(u.Requests, 5, 15)); // 10 each in turn
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
