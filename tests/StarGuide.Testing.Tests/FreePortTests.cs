using System.Net;
using System.Net.Sockets;

namespace StarGuide.Testing.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void Next_returns_a_port_that_can_be_bound_on_loopback()
    {
        var port = FreePort.Next();

        Assert.InRange(port, 1, 65535);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public void Ports_asked_for_in_a_row_are_never_the_same()
    {
        // The OS picks from ~28 000 ephemeral ports and may pick one it just released: over 1 000 calls a repeat is
        // likely without the memory of recent ports (the cause of a gateway whose management port was its public one).
        var ports = Enumerable.Range(0, 1000).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
