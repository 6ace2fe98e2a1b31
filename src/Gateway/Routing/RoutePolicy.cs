using System.Net;
using StarGuide.Gateway.RateLimiting;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Gateway.Routing;

/// <summary>A route's settings compiled once for the per-request path: no parsing or formatting per request.</summary>
internal sealed class RoutePolicy
{
    public required string RouteId { get; init; }

    public RateLimitZone? Zone { get; init; }

    public bool AccessLog { get; init; } = true;

    /// <summary>Empty: every client may use the route.</summary>
    public NetworkAllowList AllowedNetworks { get; init; } = new([]);

    /// <summary>The whole Cache-Control value for cacheable responses, or null to leave the upstream's.</summary>
    public string? CacheControl { get; init; }

    public TimeSpan? Expires { get; init; }

    /// <summary>Whether the client may use the route: every client when no networks are listed.</summary>
    public bool Allows(IPAddress? client) => AllowedNetworks.IsEmpty || AllowedNetworks.Contains(client);
}
