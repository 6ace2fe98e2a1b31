using System.Net;
using System.Net.Sockets;

namespace StarGuide.ServiceDefaults.Networks;

public static class FreePort
{
    /// <summary>
    /// A loopback port that is free now (the OS picks it for a listener that is closed at once). Used for what must
    /// be reached directly on a port of its own: local servers and instances that the AppHost or the scaler start.
    /// Another process may take it before the caller binds it; a server started on it then fails fast and says so.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
