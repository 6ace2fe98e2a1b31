using System.Net;
using System.Net.Sockets;
using System.Text;
using RabbitMQ.Client;

namespace StarGuide.Testing;

/// <summary>
/// Whether a server serves clients yet, asked the way a client would; for <see cref="Readiness"/> and the containers'
/// waits alike. Each returns null when ready, otherwise what went wrong this time (for the timeout message).
/// </summary>
internal static class ServerProbes
{
    private static readonly TimeSpan _attemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Null once the broker accepts an AMQP connection.</summary>
    internal static async Task<string?> AmqpAsync(Uri amqpUri, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = amqpUri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = _attemptTimeout,
            ClientProvidedName = "starguide-testing-readiness",
        };
        try
        {
            var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // While the node boots, every kind of connection failure is expected; keep the last for the report.
            return $"{ex.GetType().Name}: {ex.InnerException?.Message ?? ex.Message}";
        }
    }

    /// <summary>Null when Redis on the loopback port answers PING with PONG (after AUTH, given a password).</summary>
    internal static Task<string?> RedisPingAsync(int port, string? password, CancellationToken cancellationToken) =>
        OverTcpAsync(port, (stream, attempt) => AuthenticateAndPingAsync(stream, password, attempt), cancellationToken);

    /// <summary>Null once something accepts TCP connections on the loopback port.</summary>
    internal static Task<string?> TcpAsync(int port, CancellationToken cancellationToken) =>
        OverTcpAsync(port, static (_, _) => Task.FromResult<string?>(null), cancellationToken);

    private static async Task<string?> AuthenticateAndPingAsync(NetworkStream stream, string? password, CancellationToken cancellationToken)
    {
        if (password is not null && await RedisCommandAsync(stream, $"AUTH {password}", "+OK", cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return await RedisCommandAsync(stream, "PING", "+PONG", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when Redis answers the inline command as expected; otherwise what it answered.</summary>
    private static async Task<string?> RedisCommandAsync(NetworkStream stream, string command, string expected, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        var reply = Encoding.ASCII.GetString(buffer, 0, read).Trim();

        // During start-up Redis may answer -LOADING, a published container port may accept a connection before Redis
        // does (and close it at once), and a Redis that is not on loopback refuses clients without a password (-DENIED).
        return reply.StartsWith(expected, StringComparison.Ordinal) ? null : $"{command.Split(' ')[0]} answered '{reply}'";
    }

    /// <summary>Connects to the loopback port and runs <paramref name="exchange"/>, all within one attempt's time.</summary>
    private static async Task<string?> OverTcpAsync(
        int port, Func<NetworkStream, CancellationToken, Task<string?>> exchange, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_attemptTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return await exchange(client.GetStream(), attempt.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ex.Message;
        }
    }
}
