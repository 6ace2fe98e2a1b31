using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StarGuide.HealthMonitor.Tests.Support;

/// <summary>
/// A raw HTTP/1.1 upstream on a free loopback port that answers 200 until it is told to hang, and then behaves like
/// a process stopped with SIGSTOP: connections are still accepted and requests read, but nothing is ever answered.
/// Counts how many requests it holds at once, to show that probes of a hung instance do not pile up.
/// </summary>
internal sealed class HangingUpstream : IAsyncDisposable
{
    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _unanswered = new();
    private TaskCompletionSource<DateTimeOffset>? _hangAfterNext;
    private volatile bool _hung;
    private int _requests;
    private int _held;
    private int _mostHeld;

    private HangingUpstream()
    {
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
    }

    public Uri Address { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The most requests held unanswered at the same time.</summary>
    public int MostHeldAtOnce => Volatile.Read(ref _mostHeld);

    /// <summary>When each request that came after the hang arrived (and was never answered), oldest first.</summary>
    public IReadOnlyCollection<DateTimeOffset> Unanswered => _unanswered;

    public static HangingUpstream Start() => new();

    /// <summary>Answers the next request, then hangs; completes with the time that answer was sent (the worst case for detection).</summary>
    public Task<DateTimeOffset> HangAfterNextAnswerAsync()
    {
        var answered = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hangAfterNext, answered);
        return answered.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections, _acceptLoop];
        }
        await Task.WhenAll(connections);
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
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var head = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                int end;
                while ((end = head.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    head.Remove(0, end + 4);
                    Interlocked.Increment(ref _requests);
                    if (_hung)
                    {
                        _unanswered.Enqueue(DateTimeOffset.UtcNow);
                        await HoldAsync(stream, buffer);
                        return;
                    }
                    await stream.WriteAsync(Ok, _stop.Token);
                    if (Interlocked.Exchange(ref _hangAfterNext, null) is { } answered)
                    {
                        _hung = true;
                        answered.SetResult(DateTimeOffset.UtcNow);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client gave up or the upstream is stopping.
        }
    }

    /// <summary>Never answers; returns when the client closes the connection (a probe that timed out).</summary>
    private async Task HoldAsync(NetworkStream stream, byte[] buffer)
    {
        var held = Interlocked.Increment(ref _held);
        InterlockedMax(ref _mostHeld, held);
        try
        {
            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
            }
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current;
        while ((current = Volatile.Read(ref location)) < value
            && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }
}
