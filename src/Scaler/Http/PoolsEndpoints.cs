using StarGuide.Contracts;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Management;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Http;

internal static class PoolsEndpoints
{
    /// <summary>
    /// <c>GET /pools</c> and <c>GET /pools/{pool}</c>: desired and ready size, and each instance with its address,
    /// state, age and restarts, to a management token that may read; <c>POST /pools/{pool}/scale</c> to one that may
    /// operate. Both only from <c>Management:AllowedNetworks</c> (by TCP peer; no forwarding header is read).
    /// </summary>
    public static WebApplication MapPools(this WebApplication app)
    {
        var pools = app.MapGroup("/pools").RequireManagement(ManagementRole.Read, "pools are");
        pools.MapGet("/", (PoolControllers controllers) => Results.Ok(controllers.All.Select(c => c.Status)));
        pools.MapGet("/{pool}", (string pool, PoolControllers controllers) =>
            controllers.Find(pool) is { } controller ? Results.Ok(controller.Status) : Results.NotFound($"No pool named '{pool}'.\n"));
        pools.MapPost("/{pool}/scale", ScaleAsync).RequireManagement(ManagementRole.Operate, "scaling is");
        return app;
    }

    /// <summary>
    /// An operator's scale: bounds first, then the desired size (clamped to them), applied by the pool's controller and
    /// published as <c>ScaleRequested</c> with the caller as <c>RequestedBy</c>: the name of the token it authenticated
    /// with and its address (<c>ops@10.0.0.5</c>), never a name the body claims. Answers with the pool after it.
    /// </summary>
    private static async Task<IResult> ScaleAsync(string pool, ScaleBody body, HttpContext context, PoolControllers controllers,
        EventOutbox outbox, TimeProvider time)
    {
        if (controllers.Find(pool) is not { } controller)
        {
            return Results.NotFound($"No pool named '{pool}'.\n");
        }
        var status = controller.Status;
        var by = context.ManagementAuditName();
        foreach (var (name, value) in new[] { ("desired", body.Desired), ("floor", body.Floor), ("ceiling", body.Ceiling) })
        {
            if (value is { } v && (v < status.MinInstances || v > status.MaxInstances))
            {
                return Results.BadRequest($"{name} must be between the pool's MinInstances ({status.MinInstances}) and MaxInstances ({status.MaxInstances}); it is {v}.\n");
            }
        }
        if ((body.Floor ?? status.Floor) is { } floor && (body.Ceiling ?? status.Ceiling) is { } ceiling && floor > ceiling && !body.Clear)
        {
            return Results.BadRequest($"floor ({floor}) must not be above ceiling ({ceiling}).\n");
        }
        if (body.Desired is null && body.Floor is null && body.Ceiling is null && !body.Clear)
        {
            return Results.BadRequest("Give desired, floor, ceiling or clear, e.g. {\"desired\": 3}.\n");
        }
        if (body.Floor is not null || body.Ceiling is not null || body.Clear)
        {
            await controller.Post(new SetBounds(body.Floor, body.Ceiling, body.Clear, by)).Applied.Task;
        }
        if (body.Desired is { } desired)
        {
            await controller.Post(new ScaleTo(desired, "operator", by)).Applied.Task;
            outbox.Enqueue(new ScaleRequested(Guid.NewGuid(), pool, desired, "operator", by, time.GetUtcNow()));
        }
        return Results.Accepted($"/pools/{pool}", controller.Status);
    }
}
