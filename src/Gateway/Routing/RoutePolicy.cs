using System.Net;
using StarGuide.Gateway.RateLimiting;

namespace StarGuide.Gateway.Routing;

/// <summary>A route's settings compiled once for the per-request path: no parsing or formatting per request.</summary>
internal sealed class RoutePolicy
{
    public required string RouteId { get; init; }

    public RateLimitZone? Zone { get; init; }

    public bool AccessLog { get; init; } = true;

    /// <summary>Empty: every client may use the route.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>The whole Cache-Control value for cacheable responses, or null to leave the upstream's.</summary>
    public string? CacheControl { get; init; }

    public TimeSpan? Expires { get; init; }

    public bool Allows(IPAddress? client)
    {
        if (AllowedNetworks.Count == 0)
        {
            return true;
        }
        if (client is null)
        {
            return false;
        }
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        foreach (var network in AllowedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
