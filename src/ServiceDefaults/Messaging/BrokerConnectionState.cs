namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>The latest reason the bus could not reach the broker, as MassTransit reported it.</summary>
public sealed class BrokerConnectionState
{
    private string? _lastFailure;

    /// <summary>Why the last connection attempt failed (e.g. "Connection refused"), or null after none.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    internal void Failed(string reason) => Volatile.Write(ref _lastFailure, reason);

    internal void Clear() => Volatile.Write(ref _lastFailure, null);

    /// <summary>
    /// Whether <paramref name="exception"/> only says that the broker cannot be reached (refused, unreachable, timed
    /// out), with the innermost cause as <paramref name="reason"/>.
    /// </summary>
    internal static bool IsUnreachable(Exception? exception, out string reason)
    {
        reason = "";
        var unreachable = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            unreachable |= e is RabbitMQ.Client.Exceptions.BrokerUnreachableException
                or RabbitMQ.Client.Exceptions.ConnectFailureException
                or MassTransit.RabbitMqConnectionException;
            reason = e.Message;
        }
        return unreachable;
    }
}
