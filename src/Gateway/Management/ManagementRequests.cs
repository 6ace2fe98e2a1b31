using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Gateway.Management;

/// <summary>Which requests are for the gateway itself rather than for the pools behind it.</summary>
internal sealed class ManagementRequests(IOptions<ManagementOptions> options)
{
    private readonly int _port = options.Value.Port;
    private readonly NetworkAllowList _allowed = new(options.Value.EffectiveAllowedNetworks);

    /// <summary>With a management port, everything that arrives on it; without, the three paths from allowed clients.</summary>
    public bool IsManagement(HttpContext context) => _port > 0
        ? context.Connection.LocalPort == _port
        : IsManagementPath(context.Request.Path) && IsAllowed(context.Connection);

    public bool IsAllowed(ConnectionInfo connection) =>
        connection.RemoteIpAddress is not { } peer || _allowed.Contains(peer);

    private static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
