using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Limits;

/// <summary>Body, header and request-line limits: refused before anything reaches the upstream complete.</summary>
public sealed class RequestLimitsTests : WithGateway
{
    private const int BodyLimit = 1024;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Limits:MaxRequestBodyBytes"] = $"{BodyLimit}";
        settings["Gateway:Limits:MaxRequestHeadersTotalBytes"] = "4096";
        settings["Gateway:Limits:MaxRequestLineBytes"] = "1024";
        // A client that sends headers only: the gateway waits this long for a body to discard (LingeringCloseTests).
        settings["Gateway:Limits:LingeringTime"] = "00:00:01";
    }

    [Fact]
    public async Task A_body_at_the_limit_is_forwarded_complete()
    {
        using var client = Gateway.CreateClient();

        using var response = await client.PostAsync("/api/upload", new ByteArrayContent(new byte[BodyLimit]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BodyLimit, Upstream.LastRequest!.Body.Length);
    }

    [Fact]
    public async Task A_body_announced_above_the_limit_gets_413_before_the_upstream_sees_the_request()
    {
        // Headers only: the 413 must come without the client sending the body.
        var response = await RawHttp.SendAsync(Gateway.Port,
            $"POST /api/upload HTTP/1.1\nHost: gateway\nContent-Length: {BodyLimit + 1}\n\n");

        Assert.Equal(413, response.Status);
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task A_chunked_body_that_passes_the_limit_midstream_gets_413_and_never_reaches_the_upstream_complete()
    {
        var chunk = new string('a', 600);
        var response = await RawHttp.SendAsync(Gateway.Port,
            $"POST /api/upload HTTP/1.1\nHost: gateway\nTransfer-Encoding: chunked\n\n258\n{chunk}\n258\n{chunk}\n0\n\n");

        Assert.Equal(413, response.Status);
        SeedSecurityHeaders.AssertPresent(response);
        // The proxy streams: the upstream may have the headers, but its body read fails, it never completes.
        Assert.Equal(0, Upstream.BodiesCompleted);
    }

    [Fact]
    public async Task Headers_above_the_total_limit_get_431_and_are_not_forwarded()
    {
        var response = await RawHttp.SendAsync(Gateway.Port,
            $"GET /api/orders HTTP/1.1\nHost: gateway\nCookie: {new string('c', 5000)}\n\n");

        Assert.Equal(431, response.Status);
        Assert.True(response.ClosedByServer);
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task A_request_line_above_its_limit_gets_414_and_is_not_forwarded()
    {
        var response = await RawHttp.SendAsync(Gateway.Port,
            $"GET /api/{new string('p', 1100)} HTTP/1.1\nHost: gateway\n\n");

        Assert.Equal(414, response.Status);
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task Defaults_are_the_seed_limits_and_nginx_keepalive_timeout()
    {
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(Upstream.Address));

        var limits = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(50 * 1024 * 1024, limits.MaxRequestBodySize);
        Assert.Equal(32 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(8 * 1024, limits.MaxRequestLineSize);
        Assert.Equal(TimeSpan.FromSeconds(65), limits.KeepAliveTimeout);
    }
}
