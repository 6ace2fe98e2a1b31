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
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(InstrumentationOptions.MeterName)
                .AddMeter(StarGuidePrefix)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddSource(StarGuidePrefix)
                .AddAspNetCoreInstrumentation(o => o.Filter = IsNotInfrastructure)
                .AddHttpClientInstrumentation());

        // OTLP goes to the Aspire dashboard locally, to a collector in production; without an endpoint it is off.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    // Probes and scrapes would drown the traces that matter.
    private static bool IsNotInfrastructure(Microsoft.AspNetCore.Http.HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health")
        && !context.Request.Path.StartsWithSegments("/alive")
        && !context.Request.Path.StartsWithSegments("/metrics");
}
