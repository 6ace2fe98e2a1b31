using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Routing;

/// <summary>The seed's locations as configured in appsettings.json, on real Kestrel with real upstreams.</summary>
public sealed class RouteBehaviourTests : WithUpstreams
{
    [Fact]
    public async Task Metrics_are_served_to_allowed_networks_only_whatever_the_client_claims()
    {
        var open = Settings();
        await using (var gateway = KestrelGateway.Start(open))
        {
            using var fromLoopback = await gateway.Client.GetAsync("/api/metrics");
            Assert.Equal(HttpStatusCode.OK, fromLoopback.StatusCode);
        }

        var closed = Settings();
        closed["Gateway:Routes:metrics:AllowedNetworks:0"] = "10.0.0.0/8";
        closed["Gateway:Routes:metrics:AllowedNetworks:1"] = "10.0.0.0/8";
        await using (var gateway = KestrelGateway.Start(closed))
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/metrics");
            request.Headers.Add("X-Forwarded-For", "10.1.2.3");
            request.Headers.Add("X-Real-IP", "10.1.2.3");
            using var spoofed = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        }
        Assert.Single(Backend.Received, r => r.PathAndQuery == "/api/metrics");
    }

    [Fact]
    public async Task Static_assets_get_a_year_of_public_no_transform_caching()
    {
        await using var gateway = KestrelGateway.Start(Settings());

        using var response = await gateway.Client.GetAsync("/static/app.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl;
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.Public && cacheControl.NoTransform);
        Assert.Equal(TimeSpan.FromDays(365), cacheControl.MaxAge);
        var expires = response.Content.Headers.Expires;
        Assert.NotNull(expires);
        Assert.InRange(expires.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
    }

    [Theory]
    [InlineData("/", "/index.html")]
    [InlineData("/stars/andromeda", "/index.html")]
    [InlineData("/stars/andromeda?tab=2", "/index.html?tab=2")]
    [InlineData("/favicon.ico", "/favicon.ico")]
    [InlineData("/static/missing.js", "/static/missing.js")]
    public async Task Single_page_app_paths_fall_back_to_index_html_and_files_pass_through(string path, string forwardedAs)
    {
        await using var gateway = KestrelGateway.Start(Settings());

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(forwardedAs, Frontend.Received.Last().PathAndQuery);
    }

    [Fact]
    public async Task Api_goes_to_theBackend_pool_and_everything_else_to_theFrontend_pool()
    {
        await using var gateway = KestrelGateway.Start(Settings());

        Assert.Equal("backend-1", await gateway.Client.GetStringAsync("/api/auth/login"));
        Assert.Equal("backend-1", await gateway.Client.GetStringAsync("/api/ai/complete"));
        Assert.Equal("frontend-1", await gateway.Client.GetStringAsync("/about"));
    }

    [Fact]
    public async Task A_request_slower_than_its_route_timeout_gets_504()
    {
        var settings = Settings();
        // 3 s: a fast request stays well inside it on a busy machine, the slow one far outside.
        settings["Gateway:Routes:ai:Timeout"] = "00:00:03";
        await using var gateway = KestrelGateway.Start(settings);

        using var slow = await gateway.Client.GetAsync("/api/ai/complete?delayMs=30000");
        using var fast = await gateway.Client.GetAsync("/api/ai/complete?delayMs=0");

        Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = KestrelGateway.Pools(Backend, Frontend);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        return settings;
    }
}
