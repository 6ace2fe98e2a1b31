using System.Net;
using System.Net.Sockets;
using System.Text;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Limits;

/// <summary>
/// A client that writes its whole oversized body before reading (Python's http.client, many SDKs) sees the 413: the
/// gateway reads and discards the body first (nginx's lingering close), within bounds.
/// </summary>
public sealed class LingeringCloseTests : WithGateway
{
    private const int BodyLimit = 1024 * 1024;

    // Far beyond what loopback socket buffers hold, so a gateway that stopped reading would block the client's write.
    private const int SentBody = 16 * BodyLimit;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Limits:MaxRequestBodyBytes"] = $"{BodyLimit}";
    }

    [Fact]
    public async Task A_client_that_sends_the_whole_body_before_reading_gets_413()
    {
        using var client = await ConnectAsync();

        await SendPostAsync(client.GetStream(), SentBody);
        var response = await ReadToEndAsync(client.GetStream());

        Assert.StartsWith("HTTP/1.1 413 ", response);
        Assert.Contains("Connection: close", response);
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task Discarding_stops_at_LingeringBytes_and_the_connection_closes()
    {
        await Gateway.DisposeAsync();
        var settings = GatewaySettings.Pools(Upstream.Address);
        settings["Gateway:Limits:MaxRequestBodyBytes"] = $"{BodyLimit}";
        settings["Gateway:Limits:LingeringBytes"] = $"{BodyLimit}";
        await using var gateway = KestrelGateway.Start(settings);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port);

        // 64 MiB announced and sent: the gateway stops reading after 1 MiB and closes, which fails the write.
        await Assert.ThrowsAnyAsync<IOException>(() => SendPostAsync(client.GetStream(), 64 * BodyLimit));
        Assert.Equal(0, Upstream.Requests);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Gateway.Port);
        return client;
    }

    private static async Task SendPostAsync(NetworkStream stream, int bodyBytes)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: {bodyBytes}\r\n\r\n"), bound.Token);
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < bodyBytes; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, bodyBytes - sent)), bound.Token);
        }
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, bound.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
