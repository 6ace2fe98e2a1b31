using System.Net;
using Microsoft.Extensions.Options;
using StarGuide.BackupService.Backups;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.BackupService.Http;

/// <summary>
/// 403 for a client outside <c>Backup:AllowedNetworks</c>, as the gateway does for <c>/api/metrics</c>. The client
/// is the TCP peer: this service reads no forwarding headers, so a client cannot claim to be inside.
/// </summary>
internal sealed class AllowedNetworksFilter(IOptions<BackupOptions> options) : IEndpointFilter
{
    private readonly NetworkAllowList _networks = new(options.Value.EffectiveAllowedNetworks);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Allows(context.HttpContext.Connection.RemoteIpAddress)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Text("Forbidden: backups are only served to allowed networks.\n",
                statusCode: StatusCodes.Status403Forbidden));

    internal bool Allows(IPAddress? client) => _networks.Contains(client);
}
