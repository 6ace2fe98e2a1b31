using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.FrontDoor;

/// <summary>
/// Once the gateway has sent a 101, the connection carries another protocol: its bytes pass the front door unexamined,
/// even those that strict HTTP/1.1 framing refuses.
/// </summary>
public sealed class StrictFramingUpgradeTests
{
    private const string UpgradeRequest =
        "GET /api/tunnel HTTP/1.1\r\nHost: g\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    // What the filter would refuse as HTTP/1.1: a bare ";" chunk extension, NUL, a bare LF.
    private static readonly byte[] Tunnelled = Encoding.Latin1.GetBytes(
        "POST /api/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhel\0o\n0\r\n\n");

    [Fact]
    public async Task After_a_101_the_bytes_pass_both_ways_unexamined()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: EchoAfter101Async);
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port);
        var stream = client.GetStream();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        await stream.WriteAsync(Encoding.Latin1.GetBytes(UpgradeRequest), bound.Token);
        var head = await ReadHeadAsync(stream, bound.Token);
        await stream.WriteAsync(Tunnelled, bound.Token);
        var echoed = new byte[Tunnelled.Length];
        await stream.ReadExactlyAsync(echoed, bound.Token);

        Assert.StartsWith("HTTP/1.1 101 ", head);
        Assert.Equal(Encoding.Latin1.GetString(Tunnelled), Encoding.Latin1.GetString(echoed));
    }

    // RFC 6455 clients wait for the 101, but nothing stops a client that does not: the filter examines those bytes as
    // HTTP/1.1 (and refuses them) until the 101, which then lets them through as they are.
    [Fact]
    public async Task Bytes_sent_before_the_101_pass_as_well()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: EchoAfter101Async);
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port);
        var stream = client.GetStream();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        await stream.WriteAsync(Encoding.Latin1.GetBytes(UpgradeRequest).Concat(Tunnelled).ToArray(), bound.Token);
        var head = await ReadHeadAsync(stream, bound.Token);
        var echoed = new byte[Tunnelled.Length];
        await stream.ReadExactlyAsync(echoed, bound.Token);

        Assert.StartsWith("HTTP/1.1 101 ", head);
        Assert.Equal(Encoding.Latin1.GetString(Tunnelled), Encoding.Latin1.GetString(echoed));
    }

    private static async Task EchoAfter101Async(HttpContext context)
    {
        context.Response.Headers.Upgrade = "websocket";
        await using var tunnel = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        var buffer = new byte[4096];
        int read;
        while ((read = await tunnel.ReadAsync(buffer)) > 0)
        {
            await tunnel.WriteAsync(buffer.AsMemory(0, read));
            await tunnel.FlushAsync();
        }
    }

    /// <summary>Reads the response head byte by byte, so that nothing after it is taken.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }
}
