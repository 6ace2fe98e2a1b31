using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// Sends bytes exactly as given over a new TCP connection and reads until the server closes it: for requests that a
/// client library would refuse to send (both framings, bad chunk sizes).
/// </summary>
public static class RawHttp
{
    // A safety net for a server that keeps the connection open; no test asserts on time.
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(15);

    /// <param name="request">The request; every <c>\n</c> is sent as CRLF.</param>
    public static Task<RawResponse> SendAsync(int port, string request) =>
        SendBytesAsync(port, Encoding.Latin1.GetBytes(request.ReplaceLineEndings("\r\n")));

    /// <param name="parts">The request exactly as given, each part in a write of its own, 50 ms apart.</param>
    public static async Task<RawResponse> SendBytesAsync(int port, params byte[][] parts)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(50);
            }
            await stream.WriteAsync(parts[i]);
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var bound = new CancellationTokenSource(ReadBound);
        var closed = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, bound.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
            closed = true;
        }
        catch (IOException)
        {
            // Reset by the server after it answered: closed as well.
            closed = true;
        }
        catch (OperationCanceledException)
        {
        }
        return new RawResponse(Encoding.Latin1.GetString(received.ToArray()), closed);
    }
}

/// <summary>What came back on the connection, and whether the server closed it.</summary>
public sealed record RawResponse(string Text, bool ClosedByServer)
{
    /// <summary>Status code of the first response, or 0 when nothing came back.</summary>
    public int Status => Text.Length > 12 && int.TryParse(Text.AsSpan(9, 3), out var status) ? status : 0;

    /// <summary>How many responses came back on the connection.</summary>
    public int ResponseCount => Text.Split("HTTP/1.1 ").Length - 1;

    /// <summary>Value of a header of the first response, or null.</summary>
    public string? Header(string name)
    {
        var head = Text.Split("\r\n\r\n")[0];
        return head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
    }
}
