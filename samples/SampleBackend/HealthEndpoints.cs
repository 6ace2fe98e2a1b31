using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

internal static class HealthEndpoints
{
    /// <summary><c>GET /api/health</c>: 200 <c>{"status":"healthy","instance":"..."}</c> while the app runs.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (IOptions<SampleBackendOptions> options) =>
            TypedResults.Ok(new HealthResponse("healthy", options.Value.InstanceId)));
        return app;
    }
}

internal sealed record HealthResponse(string Status, string Instance);
