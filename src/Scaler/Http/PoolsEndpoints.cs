using Microsoft.Extensions.Options;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Scaler.Http;

internal static class PoolsEndpoints
{
    /// <summary>
    /// <c>GET /pools</c> and <c>GET /pools/{pool}</c>: desired and ready size, and each instance with its address,
    /// state, age and restarts. Only for clients in <c>Scaler:AllowedNetworks</c> (by TCP peer; no forwarding header is read).
    /// </summary>
    public static WebApplication MapPools(this WebApplication app)
    {
        var allowed = new NetworkAllowList(app.Services.GetRequiredService<IOptions<ScalerOptions>>().Value.EffectiveAllowedNetworks);
        var pools = app.MapGroup("/pools").AddEndpointFilter(async (context, next) =>
            allowed.Contains(context.HttpContext.Connection.RemoteIpAddress)
                ? await next(context)
                : Results.Text("Forbidden: pools are only shown to allowed networks.\n", statusCode: StatusCodes.Status403Forbidden));
        pools.MapGet("/", (PoolControllers controllers) => Results.Ok(controllers.All.Select(c => c.Status)));
        pools.MapGet("/{pool}", (string pool, PoolControllers controllers) =>
            controllers.Find(pool) is { } controller ? Results.Ok(controller.Status) : Results.NotFound($"No pool named '{pool}'.\n"));
        return app;
    }
}
