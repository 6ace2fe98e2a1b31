using System.Net;
using System.Net.Sockets;

namespace StarGuide.Testing;

/// <summary>
/// An HTTP client whose connections leave from a chosen loopback address (e.g. 127.0.0.2), so that a service on
/// 127.0.0.1 sees that address as its TCP peer: an allow-list test can show a refused and an allowed client side by
/// side on one machine (Linux routes all of 127.0.0.0/8 to loopback).
/// </summary>
public static class SourceBoundClient
{
    public static HttpClient Create(IPAddress source, Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
}
