using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Security;

/// <summary>No response names the software behind it (nginx <c>server_tokens off</c> and <c>proxy_hide_header Server</c>).</summary>
public sealed class ServerHeaderTests
{
    [Theory]
    [InlineData("/api/ok", HttpStatusCode.OK)]
    [InlineData("/api/missing", HttpStatusCode.NotFound)]
    public async Task Neither_the_gateway_nor_a_kestrel_upstream_is_named(string path, HttpStatusCode status)
    {
        // The upstream is Kestrel and sends "Server: Kestrel" itself.
        await using var upstream = await ScriptedUpstream.StartAsync(respond: context =>
        {
            context.Response.StatusCode = context.Request.Path == "/api/ok" ? 200 : 404;
            return Task.CompletedTask;
        });
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Empty(response.Headers.Server);
    }

    [Fact]
    public async Task The_gateway_own_answers_carry_no_server_header()
    {
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools($"http://127.0.0.1:{FreePort.Next()}"));

        using var badGateway = await gateway.Client.GetAsync("/api/x");
        var tooLong = await RawHttp.SendAsync(gateway.Port, $"GET /{new string('a', 9000)} HTTP/1.1\nHost: g\n\n");

        Assert.Equal(HttpStatusCode.BadGateway, badGateway.StatusCode);
        Assert.Empty(badGateway.Headers.Server);
        Assert.Equal(414, tooLong.Status);
        Assert.Null(tooLong.Header("Server"));
    }
}
