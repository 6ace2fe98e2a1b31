using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.RateLimiting;
using StarGuide.ServiceDefaults.Networks;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Routing;

/// <summary>The compiled <see cref="RoutePolicy"/> of every route, looked up by YARP route id.</summary>
internal sealed class RoutePolicies
{
    private readonly FrozenDictionary<string, RoutePolicy> _byRouteId;

    public RoutePolicies(IOptions<GatewayRoutesOptions> routes, IOptions<RateLimitingOptions> rateLimiting)
    {
        var limits = rateLimiting.Value;
        _byRouteId = routes.Value.ToFrozenDictionary(
            r => r.Key,
            r => Compile(r.Key, r.Value, limits),
            StringComparer.OrdinalIgnoreCase);
    }

    public RoutePolicy? For(HttpContext context) =>
        context.Features.Get<IReverseProxyFeature>()?.Route.Config.RouteId is { } id && _byRouteId.TryGetValue(id, out var policy)
            ? policy
            : null;

    private static RoutePolicy Compile(string name, GatewayRouteOptions route, RateLimitingOptions limits) => new()
    {
        RouteId = name,
        Zone = limits.Enabled && route.RateLimitZone is { } zone
            ? RateLimitZone.From(zone, limits.Zones[zone], limits)
            : null,
        AccessLog = route.AccessLog,
        AllowedNetworks = new NetworkAllowList(route.AllowedNetworks),
        CacheControl = CacheControlFor(route),
        Expires = route.Expires,
    };

    private static string? CacheControlFor(GatewayRouteOptions route)
    {
        var maxAge = route.Expires is { } expires
            ? "max-age=" + ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture)
            : null;
        var parts = new[] { route.CacheControl, maxAge }.Where(p => !string.IsNullOrWhiteSpace(p));
        var value = string.Join(", ", parts);
        return value.Length == 0 ? null : value;
    }
}
