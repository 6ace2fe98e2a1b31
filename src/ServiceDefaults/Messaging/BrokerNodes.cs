using System.Globalization;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// The RabbitMQ nodes a service connects to: <c>MessageBus:Nodes</c> (a cluster), else the connection string's host.
/// MassTransit's cluster support tries one node per connection attempt, round robin from the first, so that losing the
/// node a service was connected to costs one reconnection (to the next node), not an outage.
/// </summary>
internal sealed record BrokerNodes(IReadOnlyList<string> Addresses, bool Configured)
{
    public const string Key = MessageBusOptions.SectionName + ":" + nameof(MessageBusOptions.Nodes);

    public const string Format =
        Key + " must be a comma-separated list of RabbitMQ nodes, each host or host:port (port 1-65535) and named once, "
        + "e.g. rabbitmq-0:5672,rabbitmq-1:5672,rabbitmq-2:5672 (user, password and virtual host come from ConnectionStrings:rabbitmq)";

    /// <summary>More than one node: a cluster, whose queues should be quorum queues.</summary>
    public bool IsCluster => Addresses.Count > 1;

    /// <summary>The nodes as logs show them: host:port each, never credentials.</summary>
    public string Display => string.Join(", ", Addresses);

    /// <summary>The nodes of <paramref name="configured"/>, or <paramref name="broker"/>'s host alone when it is empty.</summary>
    public static BrokerNodes Of(string? configured, Uri broker)
    {
        var defaultPort = broker.Scheme == "amqps" ? 5671 : 5672;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new([$"{broker.Host}:{(broker.IsDefaultPort || broker.Port < 0 ? defaultPort : broker.Port)}"], Configured: false);
        }
        // Not quoting the value: a connection string pasted in by mistake would put its password in the log.
        return TryParse(configured, defaultPort, out var nodes) ? nodes : throw new InvalidOperationException(Format + ".");
    }

    /// <summary>Whether <paramref name="configured"/> is empty (no cluster) or a valid node list.</summary>
    public static bool IsValid(string? configured) => string.IsNullOrWhiteSpace(configured) || TryParse(configured, 5672, out _);

    private static bool TryParse(string configured, int defaultPort, out BrokerNodes nodes)
    {
        var addresses = new List<string>();
        nodes = new(addresses, Configured: true);
        foreach (var part in configured.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            var host = colon < 0 ? part : part[..colon];
            var port = defaultPort;
            if (colon >= 0 && !(int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535))
            {
                return false;
            }
            // A host name or an IPv4 address: a scheme, credentials or a path here would be a connection string pasted in.
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
            var address = $"{host.ToLowerInvariant()}:{port.ToString(CultureInfo.InvariantCulture)}";
            if (addresses.Contains(address))
            {
                return false;
            }
            addresses.Add(address);
        }
        return addresses.Count > 0;
    }
}
