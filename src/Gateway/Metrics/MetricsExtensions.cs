using OpenTelemetry.Metrics;

namespace StarGuide.Gateway.Metrics;

internal static class MetricsExtensions
{
    /// <summary>
    /// The gateway's own request metrics (<see cref="GatewayMetrics"/>, recorded by the access log's middleware); drops, unless <see cref="MetricsOptions.DetailedHttpInstruments"/>, the framework instruments that duplicate the
    /// gateway's own on every request. A dropped instrument is never enabled, so the framework skips recording it.
    /// </summary>
    public static WebApplicationBuilder AddGatewayMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        var detailed = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.DetailedHttpInstruments == true;
        if (!detailed)
        {
            builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddView(instrument =>
                instrument.Meter.Name == "System.Net.Http" || instrument.Name == "aspnetcore.routing.match_attempts"
                    ? MetricStreamConfiguration.Drop
                    : null));
        }
        return builder;
    }
}
