using Microsoft.Extensions.Options;

namespace StarGuide.SampleFrontend;

internal static class HealthEndpoints
{
    /// <summary><c>GET /healthz</c>: 200 <c>{"status":"healthy","instance":"..."}</c> while the app runs.</summary>
    public static IEndpointRouteBuilder MapHealthz(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (IOptions<SampleFrontendOptions> options) =>
            TypedResults.Ok(new HealthResponse("healthy", options.Value.InstanceId)));
        return app;
    }
}

internal sealed record HealthResponse(string Status, string Instance);
