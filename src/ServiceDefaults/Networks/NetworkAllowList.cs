using System.Net;

namespace StarGuide.ServiceDefaults.Networks;

/// <summary>
/// The networks a client must be in (e.g. the gateway's <c>/api/metrics</c>, the backup service's endpoints). An
/// IPv4 client seen as an IPv4-mapped IPv6 address is matched as the IPv4 address it is.
/// </summary>
public sealed class NetworkAllowList
{
    private readonly IPNetwork[] _networks;

    /// <param name="networks">CIDR networks, already validated (a bad one throws <see cref="FormatException"/>).</param>
    public NetworkAllowList(IEnumerable<string> networks) => _networks = [.. networks.Select(n => IPNetwork.Parse(n))];

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress? client)
    {
        if (client is null)
        {
            return false;
        }
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
