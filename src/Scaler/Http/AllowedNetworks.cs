using Microsoft.Extensions.Options;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Scaler.Http;

internal static class AllowedNetworks
{
    /// <summary>
    /// Answers 403 to a client outside <c>Scaler:AllowedNetworks</c> (by TCP peer; no forwarding header is read), naming
    /// <paramref name="what"/> it asked for.
    /// </summary>
    public static RouteGroupBuilder OnlyForAllowedNetworks(this RouteGroupBuilder group, string what)
    {
        var allowed = new NetworkAllowList(((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<IOptions<ScalerOptions>>().Value.EffectiveAllowedNetworks);
        return group.AddEndpointFilter(async (context, next) =>
            allowed.Contains(context.HttpContext.Connection.RemoteIpAddress)
                ? await next(context)
                : Results.Text($"Forbidden: {what} only shown to allowed networks (Scaler:AllowedNetworks).\n", statusCode: StatusCodes.Status403Forbidden));
    }
}
