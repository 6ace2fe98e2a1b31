using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Security;

/// <summary>The seed's security headers on every response the gateway sends, whoever produced it.</summary>
public class SecurityHeadersTests
{
    [Theory]
    [InlineData("/api/orders")]
    [InlineData("/static/app.js")]
    [InlineData("/")]
    [InlineData("/alive")]
    public async Task Every_seed_header_is_on_a_successful_response(string path)
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address, upstream.Address));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task An_upstream_value_for_a_security_header_is_replaced_not_added()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: context =>
        {
            context.Response.Headers["X-Frame-Options"] = "SAMEORIGIN";
            context.Response.Headers["Content-Security-Policy"] = "default-src *";
            return context.Response.WriteAsync("framed");
        });
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/page");

        SeedSecurityHeaders.AssertPresent(response);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task An_upstream_error_response_keeps_the_headers(int status)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/broken");

        Assert.Equal(status, (int)response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task The_proxy_own_502_for_an_unreachable_upstream_has_the_headers()
    {
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools($"http://127.0.0.1:{FreePort.Next()}"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/anything");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task The_proxy_own_503_for_a_pool_without_instances_has_the_headers()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:Enabled"] = "false",
            ["Pools:backend:Instances:0:Id"] = "backend-1",
            ["Pools:backend:Instances:0:Address"] = "http://127.0.0.1:9",
            ["Pools:frontend:HealthPath"] = "/healthz",
        };
        await using var gateway = KestrelGateway.Start(settings);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/index.html");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task The_proxy_own_504_for_a_silent_upstream_has_the_headers()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: 
            context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var gateway = KestrelGateway.Start(
            GatewaySettings.Pools(upstream.Address),
            services => services.AddSingleton<IProxyConfigFilter, ShortUpstreamTimeout>());
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task A_404_for_a_path_no_route_matches_has_the_headers()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var settings = GatewaySettings.Pools(backend: upstream.Address);
        // The default frontend route catches every path; narrowed here so that one is left unmatched.
        settings["Gateway:Routes:frontend:Path"] = "/app/{**rest}";
        await using var gateway = KestrelGateway.Start(settings);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/not-an-api-path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task A_429_produced_inside_the_gateway_has_the_headers()
    {
        await using var gateway = KestrelGateway.Start(
            GatewaySettings.Pools($"http://127.0.0.1:{FreePort.Next()}"),
            services => services.AddSingleton<IHttpForwarder>(new StubForwarder(context =>
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            })));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/limited");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task An_exception_escaping_the_pipeline_becomes_a_500_with_the_headers()
    {
        await using var gateway = KestrelGateway.Start(
            GatewaySettings.Pools($"http://127.0.0.1:{FreePort.Next()}"),
            services => services.AddSingleton<IHttpForwarder>(
                new StubForwarder(_ => throw new InvalidOperationException("a bug inside the pipeline"))));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/buggy");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        SeedSecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task Configuration_adds_a_header_replaces_a_value_and_an_empty_value_turns_one_off()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var settings = GatewaySettings.Pools(upstream.Address);
        settings["Gateway:SecurityHeaders:Strict-Transport-Security"] = "";
        settings["Gateway:SecurityHeaders:X-Frame-Options"] = "SAMEORIGIN";
        settings["Gateway:SecurityHeaders:Permissions-Policy"] = "camera=()";
        await using var gateway = KestrelGateway.Start(settings);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/x");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["camera=()"], response.Headers.GetValues("Permissions-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }
}
