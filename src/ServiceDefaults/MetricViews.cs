using OpenTelemetry.Metrics;

namespace StarGuide.ServiceDefaults;

/// <summary>
/// What <c>/metrics</c> leaves out: instruments no rule, recording rule or dashboard in <c>deploy/</c> reads, and that
/// cost most of a scrape (per-connection and per-host histograms, MassTransit's duration histograms with a series per
/// consumer and message type). A dropped instrument is never enabled, so nothing records it either. The no-drift test
/// (tests/StarGuide.Monitoring.Tests) fails if a rule needs one of them, and checks that they stay out.
/// </summary>
internal static class MetricViews
{
    public static readonly IReadOnlySet<string> Dropped = new HashSet<string>(StringComparer.Ordinal)
    {
        "kestrel.connection.duration",
        "dns.lookup.duration",
        "http.client.connection.duration",
        "http.client.request.time_in_queue",
        "http.client.open_connections",
        "aspnetcore.routing.match_attempts",
        "messaging.masstransit.consume.duration",
        "messaging.masstransit.delivery.duration",
        "messaging.masstransit.receive.duration",
        "messaging.masstransit.send.duration",
    };

    /// <summary>
    /// Labels kept on <c>http.server.request.duration</c>: the scheme and protocol version only multiplied its series
    /// (every bucket once more per value) and nothing groups by them.
    /// </summary>
    public static readonly string[] ServerRequestTags = ["http.route", "http.request.method", "http.response.status_code", "error.type"];

    public static MeterProviderBuilder AddStarGuideViews(this MeterProviderBuilder metrics) => metrics.AddView(instrument =>
        Dropped.Contains(instrument.Name) ? MetricStreamConfiguration.Drop
        : instrument.Name == "http.server.request.duration" ? new ExplicitBucketHistogramConfiguration
        {
            // ASP.NET's own bounds (its advice), restated because a view replaces the advice.
            Boundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
            TagKeys = ServerRequestTags,
        }
        : null);
}
