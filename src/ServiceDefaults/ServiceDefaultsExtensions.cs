using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StarGuide.ServiceDefaults.Management;

namespace StarGuide.ServiceDefaults;

/// <summary>What every StarGuide Edge service shares: telemetry, health endpoints and service discovery.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag answer <c>/alive</c>; every check answers <c>/health</c>.</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddOpenTelemetryDefaults();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddManagementAccess();
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every check, including the bus and Redis where the service uses them),
    /// <c>/alive</c> (liveness: the process answers) and the Prometheus scrape endpoint <c>/metrics</c>, which needs a
    /// management token with the read role from an allowed network (<see cref="ManagementAccess"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null,
            branch => branch.UseManagementAccess(ManagementRole.Read, "metrics are"), optionsName: null);
        return app;
    }
}
