using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Tls;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Management;

namespace StarGuide.Gateway.Management;

internal static class ManagementExtensions
{
    /// <summary>Binds and validates <c>Gateway:Management</c> and adds the management listener to Kestrel.</summary>
    public static WebApplicationBuilder AddManagementEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ManagementOptions, ManagementOptionsValidator>(ManagementOptions.SectionName);
        builder.Services.AddSingleton<ManagementRequests>();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ManagementOptions>, IOptions<TlsOptions>, IConfiguration>((kestrel, management, tls, configuration) =>
                ManagementListeners.Configure(kestrel, management.Value, tls.Value.Enabled, configuration));
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (readiness: every check, the bus and Redis included), <c>/alive</c> (liveness) and <c>/metrics</c>
    /// (Prometheus), as a branch taken before anything public: no TLS redirect, rate limit or proxying. A plain branch
    /// rather than endpoints so that the public pipeline pays one port comparison per request, not a routing policy.
    /// Every request needs an allowed network; <c>/metrics</c> also a management token that may read.
    /// </summary>
    public static WebApplication UseManagementEndpoints(this WebApplication app)
    {
        var requests = app.Services.GetRequiredService<ManagementRequests>();
        app.MapWhen(requests.IsManagement, management =>
        {
            management.Use((context, next) =>
            {
                if (!requests.IsAllowed(context.Connection))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }
                return next(context);
            });
            management.UseHealthChecks("/health");
            management.UseHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ServiceDefaultsExtensions.LiveTag) });
            management.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: null, path: "/metrics",
                metrics => metrics.UseManagementAccess(ManagementRole.Read, "the gateway's metrics are"), optionsName: null);
            management.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }
}
