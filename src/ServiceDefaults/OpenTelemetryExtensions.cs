using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace StarGuide.ServiceDefaults;

internal static class OpenTelemetryExtensions
{
    /// <summary>Meters and activity sources of StarGuide's own code start with this prefix.</summary>
    private const string StarGuidePrefix = "StarGuide.*";

    public static void AddOpenTelemetryDefaults(this IHostApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(InstrumentationOptions.MeterName)
                .AddMeter(StarGuidePrefix)
                .AddStarGuideViews()
                .AddPrometheusExporter());

        // Traces and logs leave the process only through OTLP (the Aspire dashboard locally, a collector in
        // production). Without an endpoint nothing would read them, and recording a span per request is not free
        // on the gateway's hot path: they are not recorded at all. Metrics are always on (Prometheus /metrics).
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        otel.WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddSource(StarGuidePrefix)
                .AddAspNetCoreInstrumentation(o => o.Filter = IsNotInfrastructure)
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
    }

    // Probes and scrapes would drown the traces that matter.
    private static bool IsNotInfrastructure(Microsoft.AspNetCore.Http.HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health")
        && !context.Request.Path.StartsWithSegments("/alive")
        && !context.Request.Path.StartsWithSegments("/metrics");
}
