using System.Net;
using System.Net.Sockets;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// An address where connecting hangs, as to a host that drops packets: a listener with a backlog of one that never
/// accepts, its one slot taken, so the kernel drops every further SYN and the connect waits until its timeout.
/// </summary>
public sealed class Blackhole : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public Blackhole()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        _filler.Connect(_listener.LocalEndPoint!);
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
