using System.Net;
using System.Net.Sockets;

namespace StarGuide.Testing;

/// <summary>Finds TCP ports on the loopback interface that nothing listens on right now.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a port that was free a moment ago: the OS picks it for a listener on 127.0.0.1:0, which is
    /// closed again at once. Another process may still take it before the caller binds it; that race is
    /// accepted because the servers started with it fail fast and say so.
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
