using System.Diagnostics.Metrics;
using StarGuide.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Metrics;

/// <summary>
/// Upstream latency by route, pool and status (requests by route and status come from ASP.NET's own
/// <c>http.server.request.duration</c>, whose <c>http.route</c> is the gateway route's template).
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "StarGuide.Gateway";

    /// <summary>
    /// Bucket bounds in seconds, the histogram's unit: ASP.NET's own for <c>http.server.request.duration</c> (5 ms to
    /// 10 s) plus 30, 60 and 120 s for slow-by-design routes such as <c>/api/ai</c>. Without them the exporter's
    /// defaults (0, 5, 10, 25 … 10 000), sized for milliseconds, would put every request in the first bucket.
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120];

    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _accessLogDropped;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _upstreamDuration = meter.CreateHistogram<double>("starguide.gateway.upstream.duration", "s",
            "Time from forwarding a request to the end of the upstream's response",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _accessLogDropped = meter.CreateCounter<long>("starguide.gateway.access_log.dropped", "{line}",
            "Access log lines not written: the queue was full or the output failed");
    }

    public void AccessLogDropped(int lines) => _accessLogDropped.Add(lines);

    /// <summary>Records how long the upstream took (the access log's middleware measures it).</summary>
    public void RecordUpstream(RoutePolicy? route, HttpContext context, double seconds)
    {
        _upstreamDuration.Record(seconds,
            new KeyValuePair<string, object?>("route", route?.RouteId),
            new KeyValuePair<string, object?>("pool", context.Features.Get<IReverseProxyFeature>()?.Cluster.Config.ClusterId),
            new KeyValuePair<string, object?>("status", context.Response.StatusCode));
    }
}
