using System.Net;
using System.Net.Sockets;

namespace StarGuide.ServiceDefaults.Networks;

public static class FreePort
{
    /// <summary>How many of the ports handed out last are never handed out again.</summary>
    internal const int Remembered = 1024;

    private static readonly Queue<int> Recent = new();
    private static readonly HashSet<int> RecentSet = [];

    /// <summary>
    /// A loopback port that is free now (the OS picks it for a listener that is closed at once). Used for what must
    /// be reached directly on a port of its own: local servers and instances that the AppHost or the scaler start.
    /// Another process may take it before the caller binds it; a server started on it then fails fast and says so.
    /// Outgoing connections do not take it meanwhile: Linux gives a listener bound to port 0 odd ports and a connecting
    /// socket even ones while the range lasts (checked on this machine: 20 of 20 odd, 30 of 30 even).
    /// The OS may pick a port it just released again, so none of the last <see cref="Remembered"/> ports this process
    /// was given is returned twice: two ports asked for in a row (a broker's port and its epmd's, a gateway's public
    /// and management ports) always differ.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            lock (Recent)
            {
                if (!RecentSet.Add(port))
                {
                    continue;
                }
                Recent.Enqueue(port);
                if (Recent.Count > Remembered)
                {
                    RecentSet.Remove(Recent.Dequeue());
                }
                return port;
            }
        }
    }
}
