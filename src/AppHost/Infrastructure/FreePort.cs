using System.Net;
using System.Net.Sockets;

namespace StarGuide.AppHost.Infrastructure;

internal static class FreePort
{
    /// <summary>
    /// A loopback port that is free now. Used for endpoints that are not behind Aspire's proxy (servers and instances
    /// that must be reached, and stopped, directly), which Aspire requires to have a port.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
