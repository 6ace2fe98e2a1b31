using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Management;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Gateway.Management;

/// <summary>Which requests are for the gateway itself rather than for the pools behind it.</summary>
internal sealed class ManagementRequests(IOptions<ManagementOptions> options, IOptions<ManagementAccessOptions> access)
{
    private readonly int _port = options.Value.Port;
    private readonly NetworkAllowList _allowed = new(access.Value.EffectiveAllowedNetworks);

    /// <summary>With a management port, everything that arrives on it; without, the three paths from allowed clients.</summary>
    public bool IsManagement(HttpContext context) => _port > 0
        ? context.Connection.LocalPort == _port
        : IsManagementPath(context.Request.Path) && IsAllowed(context.Connection);

    /// <summary>The TCP peer is in <c>Management:AllowedNetworks</c> (loopback included).</summary>
    public bool IsAllowed(ConnectionInfo connection) => _allowed.Contains(connection.RemoteIpAddress);

    private static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
