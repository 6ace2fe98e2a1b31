using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.RateLimiting;

/// <summary>
/// The gateway's zones over a real Redis, a real upstream and real Kestrel. The api zone is slowed to one request per
/// 10 s here so that "simultaneous" holds however slow the machine is; the rate arithmetic itself is pinned by
/// <see cref="GcraTests"/> and <see cref="RedisGcraStoreTests"/>.
/// </summary>
public sealed class GatewayRateLimitTests(RedisFixture redis) : WithUpstreams, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Forty_simultaneous_requests_from_one_client_admit_exactly_21_and_refuse_the_rest_with_429()
    {
        await using var gateway = KestrelGateway.Start(Settings(Guid.NewGuid().ToString("N")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => gateway.Client.GetAsync("/api/stars")));

        Assert.Equal(21, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(19, refused.Count);
        Assert.All(refused, SeedSecurityHeaders.AssertPresent);
        Assert.All(refused, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1));
        Assert.Equal(21, Backend.Requests);

        // Other test classes' gateways share the process's meters, so the counters are at least these.
        var metrics = await gateway.ManagementClient.GetStringAsync("/metrics");
        var rejected = System.Text.RegularExpressions.Regex.Match(metrics,
            "starguide_rate_limit_rejected_total\\{[^}]*zone=\"api\"[^}]*\\} (\\d+)");
        Assert.True(rejected.Success, "no rate-limit rejection counter for zone api in /metrics");
        Assert.True(long.Parse(rejected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 19);
        // Its value is not asserted: other classes' gateways report their own backend-1 into the same series.
        Assert.Matches("starguide_gateway_instance_available\\{[^}]*instance=\"backend-1\"[^}]*\\} [01]", metrics);
        Assert.Contains("starguide_gateway_upstream_duration_seconds_bucket", metrics);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_route=\"/api/\\{\\*\\*rest\\}\"", metrics);
    }

    [Fact]
    public async Task Two_gateway_replicas_share_one_budget()
    {
        var prefix = Guid.NewGuid().ToString("N");
        await using var first = KestrelGateway.Start(Settings(prefix));
        await using var second = KestrelGateway.Start(Settings(prefix));

        var responses = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => (i % 2 == 0 ? first : second).Client.GetAsync("/api/stars")));

        Assert.Equal(21, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [Fact]
    public async Task Zones_are_separate_budgets()
    {
        await using var gateway = KestrelGateway.Start(Settings(Guid.NewGuid().ToString("N")));

        var api = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => gateway.Client.GetAsync("/api/stars")));
        var auth = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => gateway.Client.GetAsync("/api/auth/session")));

        Assert.Equal(21, api.Count(r => r.IsSuccessStatusCode));
        Assert.Equal(11, auth.Count(r => r.IsSuccessStatusCode));
    }

    [Fact]
    public async Task Health_route_is_never_limited()
    {
        await using var gateway = KestrelGateway.Start(Settings(Guid.NewGuid().ToString("N")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => gateway.Client.GetAsync("/api/health")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Forwarding_headers_from_a_client_neither_buy_budget_nor_reach_the_upstream()
    {
        await using var gateway = KestrelGateway.Start(Settings(Guid.NewGuid().ToString("N")));

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/stars");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            request.Headers.Add("X-Real-IP", $"198.51.100.{i}");
            request.Headers.Add("Forwarded", $"for=198.51.100.{i}");
            return gateway.Client.SendAsync(request);
        }));

        Assert.Equal(21, responses.Count(r => r.IsSuccessStatusCode));
        Assert.All(Backend.Received, received =>
        {
            Assert.Equal("127.0.0.1", received.Headers["X-Forwarded-For"]);
            Assert.Equal("127.0.0.1", received.Headers["X-Real-IP"]);
            Assert.False(received.Headers.ContainsKey("Forwarded"));
        });
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        var settings = Settings(Guid.NewGuid().ToString("N"));
        settings["Gateway:ClientAddress:TrustedProxies:0"] = "127.0.0.1";
        await using var gateway = KestrelGateway.Start(settings);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/stars");
            request.Headers.Add("X-Forwarded-For", i % 2 == 0 ? "203.0.113.7" : "203.0.113.8");
            return gateway.Client.SendAsync(request);
        }));

        Assert.Equal(42, responses.Count(r => r.IsSuccessStatusCode));
        Assert.Contains(Backend.Received, r => r.Headers["X-Forwarded-For"] == "203.0.113.7");
        Assert.Contains(Backend.Received, r => r.Headers["X-Real-IP"] == "203.0.113.8");
    }

    private Dictionary<string, string?> Settings(string keyPrefix)
    {
        var settings = KestrelGateway.Pools(Backend, Frontend).WithPatientTries();
        settings["ConnectionStrings:redis"] = redis.Server.ConnectionString;
        settings["Gateway:RateLimiting:KeyPrefix"] = keyPrefix;
        settings["Gateway:RateLimiting:Zones:api:RequestsPerSecond"] = "0.1";
        settings["Gateway:RateLimiting:Zones:auth:RequestsPerSecond"] = "0.1";
        // These tests count one shared budget: on a loaded machine a Redis call over the default 250 ms would switch a
        // request to the per-replica fallback (its own budget, RedisOutageTests) and admit one too many.
        settings["Gateway:RateLimiting:RedisTimeout"] = "00:00:05";
        return settings;
    }
}
