using System.Net;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.PassiveHealth;

/// <summary>nginx <c>max_fails=3 fail_timeout=2s</c> through the gateway, on a fake clock.</summary>
public class PassiveEjectionTests
{
    private static readonly TimeSpan FailTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Instance_refusing_connections_3_times_gets_no_requests_until_FailTimeout_has_passed()
    {
        await using var refusing = await ScriptedUpstream.StartAsync("refusing");
        await using var good = await ScriptedUpstream.StartAsync("good");
        await using var gateway = new GatewayHost()
            .WithInstance(refusing).WithInstance(good)
            .With("Pools:backend:FailTimeout", FailTimeout.ToString())
            .With("Gateway:Retries:Enabled", "false"); // so that each attempt on the refusing instance shows as a 502
        using var client = gateway.CreateClient();
        await refusing.StopAsync();

        var untilEjected = await client.GetSequentiallyAsync(30);
        Assert.Equal(3, untilEjected.Count(r => r.Status == HttpStatusCode.BadGateway));
        Assert.Equal(27, good.Requests);

        gateway.Time.Advance(FailTimeout);
        var afterFailTimeout = await client.GetSequentiallyAsync(30);

        // Tried again once, refused, and out again at once (nginx does the same after fail_timeout).
        Assert.Equal(1, afterFailTimeout.Count(r => r.Status == HttpStatusCode.BadGateway));
        Assert.Equal(56, good.Requests);
    }

    [Fact]
    public async Task Instance_dropping_connections_is_ejected_after_3_attempts_and_clients_never_see_it()
    {
        await using var dropping = await ScriptedUpstream.StartAsync("dropping");
        await using var good = await ScriptedUpstream.StartAsync("good");
        dropping.DropAfterReadingRequest = true;
        await using var gateway = new GatewayHost()
            .WithInstance(dropping).WithInstance(good)
            .With("Pools:backend:FailTimeout", FailTimeout.ToString());
        using var client = gateway.CreateClient();

        var results = await client.GetSequentiallyAsync(30);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "good"), r)); // each failed GET was retried
        Assert.Equal(3, dropping.Requests);

        dropping.DropAfterReadingRequest = false;
        gateway.Time.Advance(FailTimeout);
        var afterFailTimeout = await client.GetSequentiallyAsync(30);

        Assert.All(afterFailTimeout, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.InRange(dropping.Requests, 3 + 5, 3 + 25); // back in rotation: about half of 30
    }

    [Fact]
    public async Task Failures_never_take_a_pool_s_last_instances_out()
    {
        // nginx ignores max_fails for a group's only server; here a pool whose every instance was ejected is tried as
        // it is: once the instance answers again, so does the gateway, without waiting out FailTimeout.
        await using var only = await ScriptedUpstream.StartAsync("only");
        only.DropAfterReadingRequest = true;
        await using var gateway = new GatewayHost()
            .WithInstance(only)
            .With("Pools:backend:FailTimeout", TimeSpan.FromMinutes(10).ToString());
        using var client = gateway.CreateClient();

        var failing = await client.GetSequentiallyAsync(5);
        var reached = only.Requests;
        only.DropAfterReadingRequest = false;
        var recovered = await client.GetSequentiallyAsync(5);

        Assert.All(failing, r => Assert.Equal(HttpStatusCode.BadGateway, r.Status)); // never a 503 from the gateway itself
        Assert.Equal(5, reached); // every failing request reached it, though 3 failures eject
        Assert.All(recovered, r => Assert.Equal((HttpStatusCode.OK, "only"), r));
    }

    [Fact]
    public async Task MaxFails_0_never_ejects()
    {
        await using var refusing = await ScriptedUpstream.StartAsync("refusing");
        await using var good = await ScriptedUpstream.StartAsync("good");
        await using var gateway = new GatewayHost()
            .WithInstance(refusing).WithInstance(good)
            .With("Pools:backend:MaxFails", "0")
            .With("Gateway:Retries:Enabled", "false");
        using var client = gateway.CreateClient();
        await refusing.StopAsync();

        var results = await client.GetSequentiallyAsync(30);

        Assert.Equal(15, results.Count(r => r.Status == HttpStatusCode.BadGateway)); // every other request, in turn
    }
}
