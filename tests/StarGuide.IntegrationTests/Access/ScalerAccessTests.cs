using System.Net;
using System.Net.Http.Json;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.IntegrationTests.Support;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Access;

/// <summary>
/// Who may look at and steer the scaler, on the built scaler as a process on real Kestrel (127.0.0.1) with only
/// 127.0.0.2 allowed: a client from 127.0.0.1 is outside, one from 127.0.0.2 inside, so the test tells the network
/// check and the token check apart. The pool's size is checked to be unchanged after every refused request.
/// </summary>
public sealed class ScalerAccessTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private static readonly IPAddress Inside = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Outside = IPAddress.Loopback;

    [Fact]
    public async Task Network_then_token_then_role_guard_pools_scaling_metrics_and_the_status_page()
    {
        await using var system = new HealingSystem(infrastructure, instances: 1,
            new Dictionary<string, string> { ["Management:AllowedNetworks:0"] = "127.0.0.2/32" });
        system.StartScalerAlone();
        using var outside = SourceBoundClient.Create(Outside, system.Scaler.Address).WithManagementToken();
        using var anonymous = SourceBoundClient.Create(Inside, system.Scaler.Address);
        using var viewer = SourceBoundClient.Create(Inside, system.Scaler.Address).WithManagementToken(TestManagement.ReadToken);
        using var operatorClient = SourceBoundClient.Create(Inside, system.Scaler.Address).WithManagementToken();
        await Eventually.TrueAsync(async () => await operatorClient.PoolAsync(HealingSystem.Pool) is { Desired: 1 },
            TimeSpan.FromSeconds(60), () => $"the scaler never answered /pools; its output:\n{system.Scaler.Tail()}");

        // Outside the allowed networks: 403 whatever the token.
        foreach (var path in new[] { "/pools", "/metrics", "/status/state", "/status/events" })
        {
            await AssertStatusAsync(outside, HttpMethod.Get, path, HttpStatusCode.Forbidden);
        }
        await AssertStatusAsync(outside, HttpMethod.Post, "/pools/backend/scale", HttpStatusCode.Forbidden, new { desired = 3 });

        // Inside without a token: 401 (the page itself sends a browser to its sign-in form).
        foreach (var path in new[] { "/pools", "/metrics", "/status/state", "/status/events" })
        {
            await AssertStatusAsync(anonymous, HttpMethod.Get, path, HttpStatusCode.Unauthorized);
        }
        await AssertStatusAsync(anonymous, HttpMethod.Post, "/pools/backend/scale", HttpStatusCode.Unauthorized, new { desired = 3 });
        using (var page = await anonymous.GetAsync("/status"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/status/login", page.Headers.Location?.OriginalString);
        }

        // A read token reads and may not operate.
        foreach (var path in new[] { "/pools", "/metrics", "/status/state" })
        {
            await AssertStatusAsync(viewer, HttpMethod.Get, path, HttpStatusCode.OK);
        }
        await AssertStatusAsync(viewer, HttpMethod.Post, "/pools/backend/scale", HttpStatusCode.Forbidden, new { desired = 3 });
        await AssertEventStreamOpensAsync(viewer);

        var pool = await operatorClient.PoolAsync(HealingSystem.Pool);
        Assert.Equal(1, pool!.Desired);
        Assert.Null(pool.Ceiling);

        // The operate token operates (a ceiling, which starts nothing).
        await AssertStatusAsync(operatorClient, HttpMethod.Post, "/pools/backend/scale", HttpStatusCode.Accepted, new { ceiling = 4 });
        Assert.Equal(4, (await operatorClient.PoolAsync(HealingSystem.Pool))!.Ceiling);
    }

    [Fact]
    public async Task The_status_page_signs_a_browser_in_with_a_cookie_that_can_read_and_never_operate()
    {
        await using var system = new HealingSystem(infrastructure, instances: 1);
        system.StartScalerAlone();
        using var browser = SourceBoundClient.Create(IPAddress.Loopback, system.Scaler.Address);
        await Eventually.TrueAsync(async () => await system.Scaler.Client.PoolAsync(HealingSystem.Pool) is { Desired: 1 },
            TimeSpan.FromSeconds(60), () => $"the scaler never answered /pools; its output:\n{system.Scaler.Tail()}");

        using var wrong = await browser.PostAsync("/status/login", new FormUrlEncodedContent([new("token", "not-a-token-of-this-scaler-00")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not a management token", await wrong.Content.ReadAsStringAsync());
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        // The operate token in the link: the cookie then holds a token that may operate, and still only reads.
        using var signIn = await browser.GetAsync($"/status?token={TestManagement.OperateToken}");
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/status", signIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/status", cookie, StringComparison.OrdinalIgnoreCase);
        var pair = cookie.Split(';')[0];

        using var page = await SendAsync(browser, HttpMethod.Get, "/status", pair);
        using var state = await SendAsync(browser, HttpMethod.Get, "/status/state", pair);
        using var pools = await SendAsync(browser, HttpMethod.Get, "/pools", pair);
        using var scale = await SendAsync(browser, HttpMethod.Post, "/pools/backend/scale", pair, new { desired = 3 });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("StarGuide scaler status", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pools.StatusCode); // the cookie is for the page alone
        Assert.Equal(HttpStatusCode.Unauthorized, scale.StatusCode); // and never for a change
        Assert.Equal(1, (await system.Scaler.Client.PoolAsync(HealingSystem.Pool))!.Desired);
    }

    private static async Task AssertStatusAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == expected,
            $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await ReadSomeAsync(response)}");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string cookie, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>The event stream answers 200 and sends a first event to a read token.</summary>
    private static async Task AssertEventStreamOpensAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/status/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("event: status", first);
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return "(an event stream)";
        }
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 200 ? text[..200] : text;
    }
}
