using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Retries;

/// <summary>
/// nginx <c>proxy_next_upstream error timeout</c>, made safe. Passive health is off here (<c>MaxFails=0</c>) so that
/// the failing instance stays in rotation and keeps being picked in turn.
/// </summary>
public class RetryTests
{
    private const int Count = 10;

    [Fact]
    public async Task Get_to_a_stopped_upstream_is_retried_on_the_other_and_the_client_gets_200()
    {
        await using var stopped = await ScriptedUpstream.StartAsync("stopped");
        await using var other = await ScriptedUpstream.StartAsync("other");
        await using var gateway = Gateway(stopped, other);
        using var client = gateway.CreateClient();
        await stopped.StopAsync();

        var results = await client.GetSequentiallyAsync(Count);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "other"), r));
        Assert.Equal(Count, other.Requests);
        // Every second request picked the stopped instance first and was retried. Other tests' gateways in this
        // process share the meter, so the counter is at least that.
        var metrics = await gateway.MetricsAsync(client);
        var retries = System.Text.RegularExpressions.Regex.Match(metrics,
            "starguide_gateway_retries_total\\{[^}]*error=\"Request\"[^}]*pool=\"backend\"[^}]*\\} (\\d+)");
        Assert.True(retries.Success, "no retry counter for pool backend in /metrics");
        Assert.True(long.Parse(retries.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= Count / 2);
    }

    [Fact]
    public async Task Get_whose_upstream_drops_the_connection_before_answering_is_retried_on_the_other()
    {
        await using var dropping = await ScriptedUpstream.StartAsync("dropping");
        await using var other = await ScriptedUpstream.StartAsync("other");
        dropping.DropAfterReadingRequest = true;
        await using var gateway = Gateway(dropping, other);
        using var client = gateway.CreateClient();

        var results = await client.GetSequentiallyAsync(Count);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "other"), r));
        Assert.InRange(dropping.Requests, 1, Count);
        Assert.Equal(Count, other.Requests);
    }

    [Fact]
    public async Task Post_whose_upstream_failed_after_receiving_it_is_not_replayed()
    {
        await using var dropping = await ScriptedUpstream.StartAsync("dropping");
        await using var other = await ScriptedUpstream.StartAsync("other");
        dropping.DropAfterReadingRequest = true;
        await using var gateway = Gateway(dropping, other);
        using var client = gateway.CreateClient();

        var statuses = await PostSequentiallyAsync(client, HttpMethod.Post);

        var failed = statuses.Count(s => s == HttpStatusCode.BadGateway);
        Assert.InRange(failed, 1, Count);
        Assert.Equal(failed, dropping.RequestsFor("POST"));
        Assert.Equal(Count - failed, other.RequestsFor("POST")); // the other saw none of the failed ones
        Assert.Equal(Count, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.BadGateway));
    }

    [Fact]
    public async Task Post_whose_connection_was_refused_is_sent_to_the_other_with_its_body()
    {
        await using var stopped = await ScriptedUpstream.StartAsync("stopped");
        await using var other = await ScriptedUpstream.StartAsync("other");
        await using var gateway = Gateway(stopped, other);
        using var client = gateway.CreateClient();
        await stopped.StopAsync();

        var statuses = await PostSequentiallyAsync(client, HttpMethod.Post);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(Enumerable.Range(0, Count).Select(Body), other.Bodies.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Put_is_not_replayed_unless_RetryPutAndDelete_is_set()
    {
        await using var dropping = await ScriptedUpstream.StartAsync("dropping");
        await using var other = await ScriptedUpstream.StartAsync("other");
        dropping.DropAfterReadingRequest = true;
        await using var gateway = Gateway(dropping, other);
        using var client = gateway.CreateClient();

        var statuses = await PostSequentiallyAsync(client, HttpMethod.Put);

        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.Equal(Count, dropping.RequestsFor("PUT") + other.RequestsFor("PUT"));
    }

    [Fact]
    public async Task Put_with_RetryPutAndDelete_is_replayed_on_the_other_with_its_body()
    {
        await using var dropping = await ScriptedUpstream.StartAsync("dropping");
        await using var other = await ScriptedUpstream.StartAsync("other");
        dropping.DropAfterReadingRequest = true;
        await using var gateway = Gateway(dropping, other).With("Gateway:Retries:RetryPutAndDelete", "true");
        using var client = gateway.CreateClient();

        var statuses = await PostSequentiallyAsync(client, HttpMethod.Put);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.InRange(dropping.RequestsFor("PUT"), 1, Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(Body), other.Bodies.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_request_is_retried_once_only()
    {
        await using var a = await ScriptedUpstream.StartAsync("a");
        await using var b = await ScriptedUpstream.StartAsync("b");
        await using var c = await ScriptedUpstream.StartAsync("c");
        a.DropAfterReadingRequest = b.DropAfterReadingRequest = c.DropAfterReadingRequest = true;
        await using var gateway = Gateway(a, b).WithInstance(c);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(2, a.Requests + b.Requests + c.Requests);
    }

    [Fact]
    public async Task Headers_set_in_front_of_the_proxy_survive_a_retry()
    {
        await using var stopped = await ScriptedUpstream.StartAsync("stopped");
        await using var other = await ScriptedUpstream.StartAsync("other");
        await using var gateway = Gateway(stopped, other)
            .WithServices(s => s.AddSingleton<IStartupFilter>(new HeaderInFront("X-Set-In-Front", "kept")));
        using var client = gateway.CreateClient();
        await stopped.StopAsync();

        for (var i = 0; i < 4; i++) // in turn: two of them go to the stopped instance first
        {
            using var response = await client.GetAsync("/api/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["kept"], response.Headers.GetValues("X-Set-In-Front"));
        }
    }

    [Fact]
    public async Task Nothing_is_retried_when_retries_are_off()
    {
        await using var stopped = await ScriptedUpstream.StartAsync("stopped");
        await using var other = await ScriptedUpstream.StartAsync("other");
        await using var gateway = Gateway(stopped, other).With("Gateway:Retries:Enabled", "false");
        using var client = gateway.CreateClient();
        await stopped.StopAsync();

        var results = await client.GetSequentiallyAsync(Count);

        Assert.Contains(results, r => r.Status == HttpStatusCode.BadGateway);
    }

    private sealed class HeaderInFront(string name, string value) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.Headers[name] = value;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private static GatewayHost Gateway(ScriptedUpstream first, ScriptedUpstream second) =>
        new GatewayHost().WithInstance(first).WithInstance(second).With("Pools:backend:MaxFails", "0");

    private static string Body(int i) => $"payload-{i:00}";

    private static async Task<List<HttpStatusCode>> PostSequentiallyAsync(HttpClient client, HttpMethod method)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Count; i++)
        {
            using var request = new HttpRequestMessage(method, "/api/items") { Content = new StringContent(Body(i)) };
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }
}
