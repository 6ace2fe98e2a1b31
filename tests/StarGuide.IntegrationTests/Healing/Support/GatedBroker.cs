using System.Net;
using System.Net.Sockets;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// A loopback port in front of the real broker that is silent until <see cref="Open"/>: connections are accepted and
/// never answered, as by a broker that is still starting, so a client's bus cannot become ready. Once open, the
/// connections held so far are closed (the client reconnects at once instead of waiting out its handshake timeout) and
/// every new one is forwarded to the broker.
/// </summary>
internal sealed class GatedBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _broker;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private bool _open;
    private int _held;

    public GatedBroker(Uri broker)
    {
        _broker = new IPEndPoint(IPAddress.TryParse(broker.Host, out var ip) ? ip : Dns.GetHostAddresses(broker.Host)[0], broker.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted while silent.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>The same URI on this port instead of the broker's.</summary>
    public string Through(string connectionString) => new UriBuilder(connectionString) { Port = Port }.Uri.AbsoluteUri;

    public void Open()
    {
        lock (_connections)
        {
            _open = true;
            _connections.ForEach(c => c.Dispose());
            _connections.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            bool open;
            lock (_connections)
            {
                open = _open;
                _connections.Add(client);
                _held += open ? 0 : 1;
            }
            if (open)
            {
                _ = ForwardAsync(client);
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var broker = new TcpClient();
        lock (_connections)
        {
            _connections.Add(broker);
        }
        try
        {
            await broker.ConnectAsync(_broker, _stop.Token);
            await Task.WhenAny(client.GetStream().CopyToAsync(broker.GetStream(), _stop.Token), broker.GetStream().CopyToAsync(client.GetStream(), _stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }
}
