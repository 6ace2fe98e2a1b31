using System.Net.WebSockets;
using System.Text;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Compression;

/// <summary>
/// Every request passes through the compression wrapper (for gzip_vary), so a connection upgrade must still reach the
/// upstream and carry messages both ways (the seed proxies WebSocket upgrades under /api/).
/// </summary>
public class UpgradeTests
{
    [Fact]
    public async Task A_websocket_upgrade_through_the_gateway_echoes_messages()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
        });
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools(upstream.Address));
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Accept-Encoding", "gzip, br");

        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/api/stream"), CancellationToken.None);
        await client.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var echoed = await client.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, echoed.Count));
    }
}
