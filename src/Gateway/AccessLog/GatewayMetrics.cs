using System.Diagnostics.Metrics;
using StarGuide.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// Upstream latency by route, pool and status (requests by route and status come from ASP.NET's own
/// <c>http.server.request.duration</c>, whose <c>http.route</c> is the gateway route's template).
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "StarGuide.Gateway";

    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _accessLogDropped;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _upstreamDuration = meter.CreateHistogram<double>("starguide.gateway.upstream.duration", "s",
            "Time from forwarding a request to the end of the upstream's response");
        _accessLogDropped = meter.CreateCounter<long>("starguide.gateway.access_log.dropped", "{line}",
            "Access log lines not written: the queue was full or the output failed");
    }

    public void AccessLogDropped(int lines) => _accessLogDropped.Add(lines);

    public void RecordUpstream(RoutePolicy? route, HttpContext context, AccessLogEntry entry)
    {
        if (AccessLogEntry.Seconds(entry.UpstreamStart, entry.UpstreamEnd) is not { } seconds)
        {
            return;
        }
        _upstreamDuration.Record(seconds,
            new KeyValuePair<string, object?>("route", route?.RouteId),
            new KeyValuePair<string, object?>("pool", context.Features.Get<IReverseProxyFeature>()?.Cluster.Config.ClusterId),
            new KeyValuePair<string, object?>("status", context.Response.StatusCode));
    }
}
